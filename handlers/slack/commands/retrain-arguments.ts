export const RETRAIN_USAGE =
  "Usage: `/retrain MODEL [reason]`, for example `/retrain churn drift on tenure_months`.";

/** Maximum reason length, in characters. The reason becomes a workflow input and a ticket comment. */
export const MAX_REASON_LENGTH = 500;

/** The reason sent when the command gives none. */
export const DEFAULT_REASON = "requested in Slack";

export type RetrainArguments = { model: string; reason: string };

const MODEL = /^[A-Za-z0-9][A-Za-z0-9._/-]*(:[A-Za-z0-9][A-Za-z0-9._-]*)?$/;

/**
 * Parses the text after /retrain: a model name, then any text as the reason.
 * A reason wrapped in one pair of straight or curly quotes loses the quotes.
 */
export function parseRetrainArguments(
  text: string,
): { ok: true; value: RetrainArguments } | { ok: false; error: string } {
  const trimmed = text.trim();
  if (trimmed === "")
    return { ok: false, error: "/retrain needs a model name." };

  const [model = ""] = trimmed.split(/\s+/, 1);
  if (!MODEL.test(model)) {
    return {
      ok: false,
      error: `Invalid model name \`${model}\`; use the name from .github/gantry.yml.`,
    };
  }

  const reason = unquote(trimmed.slice(model.length).trim());
  const length = Array.from(reason).length;
  if (length > MAX_REASON_LENGTH) {
    return {
      ok: false,
      error: `The reason is ${length} characters long; keep it to ${MAX_REASON_LENGTH}.`,
    };
  }
  return { ok: true, value: { model, reason: reason || DEFAULT_REASON } };
}

function unquote(text: string): string {
  const match = /^"([^"]*)"$|^“([^”]*)”$/.exec(text);
  return (match ? (match[1] ?? match[2] ?? "") : text).trim();
}
