/** ASCII letters in lower case, every other character as it is: what both stores compare. */
export function foldAsciiCase(text: string): string {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** A LIKE pattern (with `ESCAPE '\'`) matching any text that contains `text` literally. */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
