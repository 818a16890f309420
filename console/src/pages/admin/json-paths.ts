/**
 * Where each value of a JSON text starts, by dotted path (`rules.0.basisPoints`, as the API names a bad
 * field), so a problem the API finds in a pasted policy can point at its line. A small scanner over the
 * text the user typed (already known to parse): strings, numbers, literals, objects and arrays.
 */
export function lineOfEachPath(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let index = 0;
  let line = 1;

  const skipSpace = () => {
    while (index < text.length && /\s/.test(text[index] ?? '')) {
      if (text[index] === '\n') line += 1;
      index += 1;
    }
  };
  const readString = (): string => {
    const start = index;
    index += 1; // opening quote
    while (index < text.length && text[index] !== '"') index += text[index] === '\\' ? 2 : 1;
    index += 1; // closing quote
    return JSON.parse(text.slice(start, index)) as string;
  };
  const value = (path: string) => {
    skipSpace();
    if (!lines.has(path)) lines.set(path, line);
    const char = text[index];
    if (char === '{') {
      index += 1;
      skipSpace();
      while (index < text.length && text[index] !== '}') {
        skipSpace();
        const keyLine = line;
        const key = readString();
        const child = path === '' ? key : `${path}.${key}`;
        lines.set(child, keyLine);
        skipSpace();
        index += 1; // colon
        value(child);
        skipSpace();
        if (text[index] === ',') index += 1;
        skipSpace();
      }
      index += 1;
    } else if (char === '[') {
      index += 1;
      skipSpace();
      let position = 0;
      while (index < text.length && text[index] !== ']') {
        value(path === '' ? String(position) : `${path}.${position}`);
        position += 1;
        skipSpace();
        if (text[index] === ',') index += 1;
        skipSpace();
      }
      index += 1;
    } else if (char === '"') {
      readString();
    } else {
      while (index < text.length && !/[\s,\]}]/.test(text[index] ?? '')) index += 1;
    }
  };

  value('');
  return lines;
}

/** The line of a problem's path, or of its nearest ancestor present in the text (a missing key's object). */
export function lineOf(lines: ReadonlyMap<string, number>, path: string): number | undefined {
  let candidate = path;
  for (;;) {
    const found = lines.get(candidate);
    if (found !== undefined) return found;
    if (candidate === '') return undefined;
    const cut = candidate.lastIndexOf('.');
    candidate = cut === -1 ? '' : candidate.slice(0, cut);
  }
}

/** Line and column of a character offset (for JSON syntax errors, which name a position). */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}
