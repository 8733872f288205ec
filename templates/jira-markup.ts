/** Helpers for Jira wiki markup, the text format of REST API version 2. */

/** Escapes the characters that Jira wiki markup reads as formatting, tables or links. */
export function escapeWiki(text: string): string {
  return text.replace(/[\\[\]{}|*_^+~!]/g, (character) => `\\${character}`);
}

/** Builds a link, percent-encoding the characters that would end the markup early. */
export function wikiLink(text: string, url: string): string {
  const safeUrl = url.replace(
    /[|[\]\s]/g,
    (character) =>
      `%${character.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`,
  );
  return `[${escapeWiki(text)}|${safeUrl}]`;
}

/** Wraps text in a block shown exactly as written; a `{noformat}` inside cannot close it early. */
export function noformat(text: string): string {
  return `{noformat}\n${text.replace(/\{noformat\}/gi, "{ noformat}")}\n{noformat}`;
}

/** Writes a label or annotation set one `name="value"` per line, sorted by name. */
export function labelLines(values: Record<string, string>): string {
  const names = Object.keys(values).sort();
  if (names.length === 0) return "(none)";
  return names
    .map((name) => `${name}=${JSON.stringify(values[name])}`)
    .join("\n");
}
