/**
 * Every limit of the lead import, in one place. A file is checked against them before anything parses
 * it: its bytes, then its zip central directory and entries (yauzl), and only then does exceljs open it.
 */
export interface LeadImportLimits {
  readonly maxFileBytes: number;
  readonly maxRows: number;
  readonly maxZipEntries: number;
  readonly maxUncompressedBytes: number;
  readonly maxCompressionRatio: number;
  readonly ratioCheckedAboveBytes: number;
}

export const LEAD_IMPORT_LIMITS: LeadImportLimits = {
  /** The application's upload limit. (In the cloud a Lambda payload of 6 MB, base64, lets ~4.4 MB through.) */
  maxFileBytes: 5 * 1024 * 1024,
  /** Data rows of the sheet 线索 (the header row and the template's untouched example row not counted). */
  maxRows: 1_000,
  /** Entries in the zip: a workbook from Excel, WPS or LibreOffice holds a few dozen. */
  maxZipEntries: 500,
  /** All entries together, uncompressed: 1,000 rows of 16 columns are a few MB of XML. */
  maxUncompressedBytes: 64 * 1024 * 1024,
  /** Uncompressed ÷ compressed of one entry, for entries bigger than `ratioCheckedAboveBytes`. */
  maxCompressionRatio: 100,
  /** Small entries (styles, a mostly empty sheet) may compress better than the ratio without harm. */
  ratioCheckedAboveBytes: 1024 * 1024,
};

/** What an uploaded workbook is sent as: the XLSX type, or any binary. */
export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const LEAD_IMPORT_CONTENT_TYPES = [XLSX_CONTENT_TYPE, 'application/octet-stream'] as const;

/** The template's file name (Content-Disposition). */
export const LEAD_IMPORT_TEMPLATE_FILE_NAME = '线索导入模板.xlsx';
