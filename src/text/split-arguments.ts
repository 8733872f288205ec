/** Opening quote characters and the closing characters each accepts; Slack clients often send curly quotes. */
const QUOTES: Record<string, string> = {
  '"': '"”',
  "“": '”"',
  "'": "'’",
  "‘": "’'",
};

/**
 * Splits command text into words at whitespace. A word that starts with a
 * quote runs to the matching closing quote, so `"quarter close"` is one
 * word. Returns what is wrong when a quote is never closed.
 */
export function splitArguments(
  text: string,
): { ok: true; words: string[] } | { ok: false; error: string } {
  const words: string[] = [];
  const characters = Array.from(text);
  let index = 0;

  while (index < characters.length) {
    const character = characters[index] ?? "";
    if (/\s/.test(character)) {
      index++;
      continue;
    }

    const closing = QUOTES[character];
    if (closing) {
      // A closing quote counts only before whitespace or the end, so the
      // apostrophe in ‘it’s late’ stays inside the word.
      const end = characters.findIndex(
        (candidate, position) =>
          position > index &&
          closing.includes(candidate) &&
          /^\s?$/.test(characters[position + 1] ?? ""),
      );
      if (end === -1) {
        return {
          ok: false,
          error: `The quote ${character} that starts \`${characters.slice(index).join("")}\` is never closed; end the text with ${closing[0] ?? '"'}.`,
        };
      }
      words.push(characters.slice(index + 1, end).join(""));
      index = end + 1;
      continue;
    }

    let end = index;
    while (end < characters.length && !/\s/.test(characters[end] ?? "")) end++;
    words.push(characters.slice(index, end).join(""));
    index = end;
  }
  return { ok: true, words };
}

/** Decodes the three HTML entities that Slack uses in slash command text. */
export function decodeSlackText(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}
