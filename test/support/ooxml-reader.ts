/**
 * A reader of .xlsx files that shares nothing with the writer (not exceljs): yauzl unzips the package and
 * the tests look at the raw OOXML parts. Cells are read from the sheet XML with a small tokenizer, shared
 * strings resolved from xl/sharedStrings.xml, number formats from xl/styles.xml.
 */
import yauzl from 'yauzl';

/** Every part of the package, by name, as text. */
export async function unzipParts(bytes: Uint8Array): Promise<Map<string, string>> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(Buffer.from(bytes), { lazyEntries: true }, (error, file) =>
      error ? reject(error) : resolve(file),
    ),
  );
  const parts = new Map<string, string>();
  await new Promise<void>((resolve, reject) => {
    zip.on('error', reject);
    zip.on('end', resolve);
    zip.on('entry', (entry: yauzl.Entry) => {
      zip.openReadStream(entry, (error, stream) => {
        if (error) return reject(error);
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          parts.set(entry.fileName, Buffer.concat(chunks).toString('utf8'));
          zip.readEntry();
        });
        stream.on('error', reject);
      });
    });
    zip.readEntry();
  });
  return parts;
}

export interface RawCell {
  readonly ref: string;
  readonly row: number;
  readonly column: string;
  /** The `t` attribute (`s`, `inlineStr`, `str`, `b`, …) or undefined for a number. */
  readonly type: string | undefined;
  readonly style: number;
  /** The cell's element as written. */
  readonly xml: string;
  /** Text of a string cell (shared string resolved), or the number's text. */
  readonly text: string;
}

export interface OoxmlSheet {
  readonly parts: Map<string, string>;
  readonly sheetXml: string;
  readonly cells: readonly RawCell[];
  /** Number format code of a style index (cellXfs), built-ins as their id. */
  formatOf(style: number): string;
  cell(ref: string): RawCell | undefined;
  /** The cells of one row, in order. */
  row(row: number): readonly RawCell[];
}

const decode = (text: string) =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-fA-F]+);/g, (_, n: string) => String.fromCodePoint(Number.parseInt(n, 16)))
    .replace(/&amp;/g, '&');

/** ECMA-376 ST_Xstring: `_xHHHH_` stands for that character (`_x005F_` for a literal underscore). */
const unescapeXstring = (text: string) =>
  text.replace(/_x([0-9a-fA-F]{4})_/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));

const textOf = (xml: string) =>
  unescapeXstring(
    [...xml.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)].map((m) => decode(m[1] ?? '')).join(''),
  );

/** Reads the first worksheet (xl/worksheets/sheet1.xml) of an .xlsx. */
export async function readSheet(
  bytes: Uint8Array,
  sheetPart = 'xl/worksheets/sheet1.xml',
): Promise<OoxmlSheet> {
  const parts = await unzipParts(bytes);
  const sheetXml = parts.get(sheetPart);
  if (sheetXml === undefined)
    throw new Error(`No ${sheetPart} in the package: ${[...parts.keys()].join(', ')}`);
  const shared = [...(parts.get('xl/sharedStrings.xml') ?? '').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) =>
    textOf(m[1] ?? ''),
  );
  const styles = parts.get('xl/styles.xml') ?? '';
  const numFmts = new Map(
    [...styles.matchAll(/<numFmt numFmtId="(\d+)" formatCode="([^"]*)"/g)].map((m) => [
      Number(m[1]),
      decode(m[2] ?? ''),
    ]),
  );
  const cellXfs = /<cellXfs[^>]*>([\s\S]*?)<\/cellXfs>/.exec(styles)?.[1] ?? '';
  const xfFormats = [...cellXfs.matchAll(/<xf\s[^>]*?numFmtId="(\d+)"/g)].map((m) => Number(m[1]));
  const cells: RawCell[] = [];
  for (const match of sheetXml.matchAll(/<c\s([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
    const attributes = match[1] ?? '';
    const inner = match[2] ?? '';
    const ref = /\br="([A-Z]+\d+)"/.exec(attributes)?.[1] ?? '';
    const type = /\bt="([^"]+)"/.exec(attributes)?.[1];
    const style = Number(/\bs="(\d+)"/.exec(attributes)?.[1] ?? 0);
    const value = decode(/<v>([\s\S]*?)<\/v>/.exec(inner)?.[1] ?? '');
    const text = type === 's' ? (shared[Number(value)] ?? '') : type === 'inlineStr' ? textOf(inner) : value;
    cells.push({
      ref,
      row: Number(/\d+$/.exec(ref)?.[0]),
      column: /^[A-Z]+/.exec(ref)?.[0] ?? '',
      type,
      style,
      xml: match[0],
      text,
    });
  }
  const byRef = new Map(cells.map((cell) => [cell.ref, cell]));
  return {
    parts,
    sheetXml,
    cells,
    formatOf: (style) => {
      const id = xfFormats[style] ?? 0;
      return numFmts.get(id) ?? `builtin:${id}`;
    },
    cell: (ref) => byRef.get(ref),
    row: (row) => cells.filter((cell) => cell.row === row),
  };
}

/** A small RFC 4180 reader: quoted fields, doubled quotes, CRLF records. Refuses a bare LF record end. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 1;
    } else if (char === '\n') throw new Error(`A bare LF at ${i}: records end with CRLF`);
    else field += char;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}
