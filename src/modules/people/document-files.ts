import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Files behind documents: what may be uploaded, where the bytes are kept, and the virus-scanning hook.
 *
 * Storage: under the configured upload folder (THRESHOLD_UPLOAD_DIR, config.uploadDir). An upload is
 * first streamed to `incoming/` with a random name while its SHA-256 is computed; once accepted it is
 * moved to `objects/<2 hex>/<random key>`. Names typed by users never become paths, the folder is never
 * served statically, and a file is only ever sent by the audited download page after an access check
 * and a checksum comparison.
 */

export interface AllowedType {
  label: string;
  extensions: readonly string[];
  contentType: string;
  /** The file must start with one of these byte sequences (hex); empty = plain text, no NUL bytes. */
  magic: readonly string[];
}

const OLE = 'd0cf11e0a1b11ae1';
const ZIP = '504b0304';

export const ALLOWED_TYPES: readonly AllowedType[] = [
  { label: 'PDF', extensions: ['pdf'], contentType: 'application/pdf', magic: ['25504446'] },
  { label: 'DOC', extensions: ['doc'], contentType: 'application/msword', magic: [OLE] },
  {
    label: 'DOCX',
    extensions: ['docx'],
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    magic: [ZIP],
  },
  { label: 'ODT', extensions: ['odt'], contentType: 'application/vnd.oasis.opendocument.text', magic: [ZIP] },
  { label: 'RTF', extensions: ['rtf'], contentType: 'application/rtf', magic: ['7b5c727466'] },
  { label: 'TXT', extensions: ['txt'], contentType: 'text/plain; charset=utf-8', magic: [] },
  { label: 'XLS', extensions: ['xls'], contentType: 'application/vnd.ms-excel', magic: [OLE] },
  {
    label: 'XLSX',
    extensions: ['xlsx'],
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    magic: [ZIP],
  },
  {
    label: 'ODS',
    extensions: ['ods'],
    contentType: 'application/vnd.oasis.opendocument.spreadsheet',
    magic: [ZIP],
  },
  { label: 'CSV', extensions: ['csv'], contentType: 'text/csv; charset=utf-8', magic: [] },
  { label: 'EML', extensions: ['eml'], contentType: 'message/rfc822', magic: [] },
  { label: 'MSG', extensions: ['msg'], contentType: 'application/vnd.ms-outlook', magic: [OLE] },
  { label: 'JPG', extensions: ['jpg', 'jpeg'], contentType: 'image/jpeg', magic: ['ffd8ff'] },
  { label: 'PNG', extensions: ['png'], contentType: 'image/png', magic: ['89504e470d0a1a0a'] },
];

export const ALLOWED_TYPES_TEXT =
  'a PDF, Word (DOC, DOCX, ODT, RTF), text (TXT), spreadsheet (XLS, XLSX, ODS, CSV), email (EML, MSG), JPG or PNG file';

/** What the upload plugin hands to the form: the file is already on disk (or was refused on the way in). */
export interface UploadedFile {
  kind: 'uploaded-file';
  /** Null when nothing was kept (too large, or not accepted on this route). */
  tempPath: string | null;
  filename: string;
  declaredType: string;
  sizeBytes: number;
  sha256: string;
  /** The first bytes, hex, for checking the content matches the type. */
  head: string;
  tooLarge: boolean;
  limitBytes: number;
  rejected?: boolean;
}

export function isUploadedFile(value: unknown): value is UploadedFile {
  return !!value && typeof value === 'object' && (value as { kind?: unknown }).kind === 'uploaded-file';
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

/** The allowed type of a file from its name and first bytes, or null when it is not allowed. */
export function detectType(filename: string, headHex: string): AllowedType | null {
  const ext = path.extname(filename).slice(1).toLowerCase();
  const type = ALLOWED_TYPES.find((t) => t.extensions.includes(ext));
  if (!type) return null;
  if (type.magic.length) return type.magic.some((m) => headHex.startsWith(m)) ? type : null;
  // Text: no NUL bytes at the start (a binary file renamed .txt is refused).
  return Buffer.from(headHex, 'hex').includes(0) ? null : type;
}

/** The message for a file that cannot be accepted, or null when it is fine (before scanning). */
export function fileProblem(file: UploadedFile | undefined): string | null {
  if (!file || file.rejected || (!file.tempPath && !file.tooLarge && !file.filename)) return 'Select a file';
  if (!file.filename && file.sizeBytes === 0) return 'Select a file';
  if (file.tooLarge) return `The selected file must be smaller than ${formatBytes(file.limitBytes)}`;
  if (file.sizeBytes === 0) return 'The selected file is empty';
  if (!detectType(file.filename, file.head)) return `The selected file must be ${ALLOWED_TYPES_TEXT}`;
  return null;
}

/** A safe name to offer when downloading: letters, digits, dots, hyphens and underscores only. */
export function safeFilename(name: string): string {
  const base = path
    .basename(name)
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '');
  return base.slice(-120) || 'document';
}

export class DocumentStore {
  readonly incoming: string;
  readonly objects: string;

  constructor(readonly root: string) {
    this.incoming = path.join(root, 'incoming');
    this.objects = path.join(root, 'objects');
  }

  ensureFolders(): void {
    fs.mkdirSync(this.incoming, { recursive: true, mode: 0o700 });
    fs.mkdirSync(this.objects, { recursive: true, mode: 0o700 });
  }

  /**
   * Streams an upload to incoming/, hashing as it goes. `truncated()` says whether the size limit cut it
   * short (busboy's flag), in which case the partial file is removed and nothing is kept.
   */
  async receive(
    stream: Readable,
    meta: { filename: string; declaredType: string; limitBytes: number; truncated: () => boolean },
  ): Promise<UploadedFile> {
    this.ensureFolders();
    const tempPath = path.join(this.incoming, `${randomUUID()}.part`);
    const hash = createHash('sha256');
    let size = 0;
    let head = Buffer.alloc(0);
    const tap = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        size += chunk.length;
        if (head.length < 64) head = Buffer.concat([head, chunk.subarray(0, 64 - head.length)]);
        done(null, chunk);
      },
    });
    await pipeline(stream, tap, fs.createWriteStream(tempPath, { mode: 0o600 }));
    const tooLarge = meta.truncated();
    if (tooLarge) await this.discard(tempPath);
    return {
      kind: 'uploaded-file',
      tempPath: tooLarge ? null : tempPath,
      filename: meta.filename,
      declaredType: meta.declaredType,
      sizeBytes: size,
      sha256: hash.digest('hex'),
      head: head.toString('hex'),
      tooLarge,
      limitBytes: meta.limitBytes,
    };
  }

  newStorageKey(): string {
    return randomUUID().replace(/-/g, '');
  }

  pathOf(storageKey: string): string {
    if (!/^[0-9a-f]{32}$/.test(storageKey)) throw new Error('Not a storage key');
    return path.join(this.objects, storageKey.slice(0, 2), storageKey);
  }

  /** Moves an accepted upload into place. Only temp files this store created can be moved. */
  async keep(tempPath: string, storageKey: string): Promise<void> {
    const resolved = path.resolve(tempPath);
    if (path.dirname(resolved) !== path.resolve(this.incoming)) throw new Error('Not an incoming upload');
    const target = this.pathOf(storageKey);
    await fs.promises.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    await fs.promises.rename(resolved, target);
  }

  /** Writes a file Threshold made itself (a letter) under a new key. */
  async write(storageKey: string, content: Buffer): Promise<void> {
    const target = this.pathOf(storageKey);
    await fs.promises.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    await fs.promises.writeFile(target, content, { mode: 0o600, flag: 'wx' });
  }

  async read(storageKey: string): Promise<Buffer> {
    return fs.promises.readFile(this.pathOf(storageKey));
  }

  async discard(filePath: string | null): Promise<void> {
    if (!filePath) return;
    await fs.promises.rm(filePath, { force: true });
  }
}

export function sha256Of(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

// --- Virus scanning ---

export type ScanResult = { clean: true; scanned: boolean } | { clean: false; threat: string };

/**
 * The hook point for virus scanning. Every upload is scanned before it is kept; a file that is not
 * clean is refused ("The selected file contains a virus") and nothing is stored.
 *
 * The default scanner does nothing and says so (documents record scan_result 'not-scanned' and the
 * scanner's name), because what an authority scans with varies: ClamAV (clamd over a socket), a cloud
 * API, or a scanning proxy in front of the service. To plug one in, implement VirusScanner and call
 * setVirusScanner() at start-up (e.g. in main.ts), for instance:
 *
 *   setVirusScanner({ name: 'clamav', scan: async (file) => (await clamd.scanFile(file)).isInfected
 *     ? { clean: false, threat: 'Found by ClamAV' } : { clean: true, scanned: true } });
 *
 * Scanners must not throw for an infected file; throwing means "could not scan" and the upload fails.
 */
export interface VirusScanner {
  name: string;
  scan(filePath: string): Promise<ScanResult>;
}

export const noScanner: VirusScanner = {
  name: 'none',
  scan: async () => ({ clean: true, scanned: false }),
};

/** The EICAR anti-virus test string: scanners everywhere treat it as a virus. */
export const EICAR_SIGNATURE = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';

/** For tests and training: refuses any file containing the EICAR test string. */
export const eicarTestScanner: VirusScanner = {
  name: 'eicar-test',
  scan: async (filePath) => {
    const content = await fs.promises.readFile(filePath);
    return content.includes(Buffer.from(EICAR_SIGNATURE))
      ? { clean: false, threat: 'EICAR test file' }
      : { clean: true, scanned: true };
  },
};

let scanner: VirusScanner = noScanner;

export function setVirusScanner(next: VirusScanner): void {
  scanner = next;
}

export function virusScanner(): VirusScanner {
  return scanner;
}
