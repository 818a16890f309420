/**
 * Checks an uploaded file before anything parses it as a workbook: its size, its first bytes (a zip, not
 * an OLE compound file, which is what both an encrypted OOXML and a legacy .xls are), then the zip's
 * central directory with yauzl (entry count, every entry's declared size and compression ratio, the total)
 * and every entry's actual inflated size (yauzl refuses an entry whose bytes differ from what its header
 * declares, so a lying header cannot slip a bomb past the totals). Only a file that passes goes to exceljs.
 */
import yauzl from 'yauzl';
import {
  PayloadTooLargeError,
  UnprocessableContentError,
  UnsupportedMediaTypeError,
} from '#shared/errors.ts';
import { LEAD_IMPORT_LIMITS, type LeadImportLimits } from './import-limits.ts';

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04] as const;
/** OLE compound file (CFB): an encrypted OOXML workbook (MS-OFFCRYPTO), or a legacy .xls. */
const CFB_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] as const;

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((byte, index) => bytes[index] === byte);
}

const NOT_XLSX = {
  zh: '文件不是 .xlsx 工作簿（Excel 2007 及以后的格式）。请用“线索导入模板.xlsx”填写后上传，或在 Excel/WPS 中“另存为 .xlsx”。',
  en: 'The file is not an .xlsx workbook (Excel 2007 or later). Fill in the template 线索导入模板.xlsx, or save the sheet as .xlsx in Excel or WPS.',
};

const TOO_BIG_ZIP = (what: { zh: string; en: string }) =>
  new PayloadTooLargeError({
    zh: `文件解压后过大，疑似“压缩炸弹”，已拒绝：${what.zh}`,
    en: `The file expands too much once unzipped (a zip bomb?) and is refused: ${what.en}`,
  });

/** Throws a 413, 415 or 422 error naming what is wrong; returns when the file may be opened. */
export async function inspectWorkbookFile(
  bytes: Uint8Array,
  limits: LeadImportLimits = LEAD_IMPORT_LIMITS,
): Promise<void> {
  if (bytes.byteLength > limits.maxFileBytes) {
    throw new PayloadTooLargeError({
      zh: `文件超过 ${limits.maxFileBytes / 1024 / 1024} MB 的上限（${bytes.byteLength} 字节）。请分成几个文件上传。`,
      en: `The file is over the ${limits.maxFileBytes / 1024 / 1024} MB limit (${bytes.byteLength} bytes). Split it into several files.`,
    });
  }
  if (startsWith(bytes, CFB_MAGIC)) {
    throw new UnprocessableContentError({
      zh: '文件已加密（设置了打开密码），或是旧版 .xls 格式：两者都无法读取。请在 Excel/WPS 中取消密码（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空），并另存为 .xlsx 后再上传。',
      en: 'The file is encrypted (it has an open password), or it is a legacy .xls: neither can be read. Remove the password in Excel or WPS (File → Info → Protect Workbook → Encrypt with Password, clear it) and save as .xlsx, then upload again.',
    });
  }
  if (!startsWith(bytes, ZIP_MAGIC)) throw new UnsupportedMediaTypeError(NOT_XLSX);
  await inspectZip(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), limits);
}

async function inspectZip(buffer: Buffer, limits: LeadImportLimits): Promise<void> {
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(buffer);
  } catch {
    throw new UnsupportedMediaTypeError(NOT_XLSX);
  }
  try {
    if (zip.entryCount > limits.maxZipEntries) {
      throw TOO_BIG_ZIP({
        zh: `包含 ${zip.entryCount} 个条目（上限 ${limits.maxZipEntries}）`,
        en: `${zip.entryCount} entries (at most ${limits.maxZipEntries})`,
      });
    }
    const names = new Set<string>();
    let declaredTotal = 0;
    let actualTotal = 0;
    for await (const entry of entriesOf(zip)) {
      names.add(entry.fileName);
      if (entry.isEncrypted()) {
        throw new UnprocessableContentError({
          zh: '文件中的内容已加密，无法读取。请取消密码后另存为 .xlsx 再上传。',
          en: 'The file holds encrypted entries and cannot be read. Remove the password, save as .xlsx and upload again.',
        });
      }
      declaredTotal += entry.uncompressedSize;
      if (declaredTotal > limits.maxUncompressedBytes) {
        throw TOO_BIG_ZIP({
          zh: `解压后超过 ${limits.maxUncompressedBytes / 1024 / 1024} MB`,
          en: `more than ${limits.maxUncompressedBytes / 1024 / 1024} MB uncompressed`,
        });
      }
      const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
      if (entry.uncompressedSize > limits.ratioCheckedAboveBytes && ratio > limits.maxCompressionRatio) {
        throw TOO_BIG_ZIP({
          zh: `条目压缩比 ${Math.round(ratio)}:1 超过 ${limits.maxCompressionRatio}:1`,
          en: `an entry compressed ${Math.round(ratio)}:1, more than ${limits.maxCompressionRatio}:1`,
        });
      }
      actualTotal += await inflatedSize(zip, entry, limits.maxUncompressedBytes - actualTotal);
    }
    if (!names.has('[Content_Types].xml') || !names.has('xl/workbook.xml')) {
      throw new UnsupportedMediaTypeError(NOT_XLSX);
    }
  } finally {
    zip.close();
  }
}

function openZip(buffer: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(
      buffer,
      { lazyEntries: true, validateEntrySizes: true, strictFileNames: false },
      (error, zip) => (error === null && zip !== undefined ? resolve(zip) : reject(error)),
    );
  });
}

async function* entriesOf(zip: yauzl.ZipFile): AsyncGenerator<yauzl.Entry> {
  for (;;) {
    const entry = await new Promise<yauzl.Entry | undefined>((resolve, reject) => {
      const onEntry = (next: yauzl.Entry) => {
        zip.off('end', onEnd);
        zip.off('error', onError);
        resolve(next);
      };
      const onEnd = () => {
        zip.off('entry', onEntry);
        zip.off('error', onError);
        resolve(undefined);
      };
      const onError = (error: Error) => {
        zip.off('entry', onEntry);
        zip.off('end', onEnd);
        reject(new UnsupportedMediaTypeError({ ...NOT_XLSX, en: `${NOT_XLSX.en} (${error.message})` }));
      };
      zip.once('entry', onEntry);
      zip.once('end', onEnd);
      zip.once('error', onError);
      zip.readEntry();
    });
    if (entry === undefined) return;
    yield entry;
  }
}

/** Inflates one entry, counting its bytes and stopping past `budget`; yauzl checks them against the header. */
async function inflatedSize(zip: yauzl.ZipFile, entry: yauzl.Entry, budget: number): Promise<number> {
  if (entry.fileName.endsWith('/')) return 0;
  const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) => {
    zip.openReadStream(entry, (error, opened) =>
      error === null && opened !== undefined ? resolve(opened) : reject(error),
    );
  }).catch(() => {
    throw new UnsupportedMediaTypeError(NOT_XLSX);
  });
  let size = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.byteLength;
      if (size > budget) {
        (stream as unknown as { destroy(): void }).destroy();
        throw TOO_BIG_ZIP({ zh: '解压后的实际大小超出上限', en: 'its entries inflate past the limit' });
      }
    }
  } catch (error) {
    if (error instanceof PayloadTooLargeError) throw error;
    // A size that differs from the header or a broken deflate stream: not a workbook we read.
    throw new UnsupportedMediaTypeError(NOT_XLSX);
  }
  return size;
}
