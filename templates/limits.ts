/** Block Kit limits, from Slack's Block Kit reference. */
export const LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  fieldText: 2000,
  fieldsPerSection: 10,
  headerText: 150,
  buttonText: 75,
  contextElements: 10,
  messageText: 40_000,
} as const;

/**
 * Shortens text to at most `max` characters, counting by code point so an
 * emoji or a non-Latin letter is never cut in half, and marks the cut.
 */
export function truncate(text: string, max: number): string {
  const characters = Array.from(text);
  if (characters.length <= max) return text;
  return `${characters.slice(0, Math.max(0, max - 1)).join("")}…`;
}

/** Escapes the three characters that Slack's mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}
