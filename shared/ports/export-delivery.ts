/** A finished export: the bytes, their media type, and the (possibly Chinese) name to save them under. */
export interface ExportFile {
  readonly bytes: Uint8Array;
  readonly contentType: string;
  readonly fileName: string;
}

/**
 * How a finished export reaches the caller: in the answer itself, or, when it is too big for one (a
 * Lambda response carries 6 MB), as a short-lived link to a copy kept elsewhere.
 */
export type DeliveredExport =
  | { readonly kind: 'inline'; readonly file: ExportFile }
  | { readonly kind: 'link'; readonly url: string; readonly expiresAt: string };

export interface ExportDelivery {
  deliver(file: ExportFile): Promise<DeliveredExport>;
}
