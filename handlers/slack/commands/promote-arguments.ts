export const PROMOTE_USAGE =
  "Usage: `/promote MODEL VERSION ENVIRONMENT`, for example `/promote churn 42 staging`.";

export type PromoteArguments = {
  model: string;
  version: string;
  environment: string;
};

/** Parses the text after /promote, or returns what is wrong with it. */
export function parsePromoteArguments(
  text: string,
): { ok: true; value: PromoteArguments } | { ok: false; error: string } {
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words.length !== 3) {
    return {
      ok: false,
      error: `/promote needs 3 arguments (model, version, environment) but got ${words.length}${words.length > 0 ? `: \`${text.trim()}\`` : ""}.`,
    };
  }

  const [model = "", version = "", environment = ""] = words;
  if (
    !/^[A-Za-z0-9][A-Za-z0-9._/-]*(:[A-Za-z0-9][A-Za-z0-9._-]*)?$/.test(model)
  ) {
    return {
      ok: false,
      error: `Invalid model name \`${model}\`; use the name from .github/gantry.yml.`,
    };
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(version)) {
    return {
      ok: false,
      error: `Invalid version \`${version}\`; use the version number the model registry shows, for example 42.`,
    };
  }
  if (!/^[a-z][a-z0-9_-]*$/.test(environment)) {
    return {
      ok: false,
      error: `Invalid environment \`${environment}\`; use a lower-case name such as staging.`,
    };
  }
  return { ok: true, value: { model, version, environment } };
}
