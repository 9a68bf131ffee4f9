// A file dropped into Tally's direct messages, and the preview's Import and Cancel buttons. The file
// is checked and previewed by the uploads service; nothing is written until Import.
import { TallyError } from '../../errors.js';
import { cancelUpload, checkUploader, checkUploadFile, importUpload, previewUpload } from '../../service/uploads.js';
import type { Effects } from '../blocks.js';
import { guarded, noEffects, type SlackDeps } from '../context.js';
import { uploadCancelled, uploadImported, uploadPreview } from '../render/upload.js';

/** A file as a message event carries it (Slack's file object, the fields Tally reads). */
export interface SharedFile {
  id: string;
  name: string;
  size?: number;
  url_private_download?: string;
}

/** Fetches a file's bytes from Slack with the bot token (see files.ts). */
export type Download = (url: string) => Promise<Uint8Array>;

export function fileShared(deps: SlackDeps, input: { userId: string; file: SharedFile }, download: Download) {
  const { userId, file } = input;
  return guarded(deps, { event: 'file_share', user: userId, file: file.id }, async (tx): Promise<Effects> => {
    // who and what first: an agent's file, or a PDF, is refused without downloading it
    await checkUploader(deps.tally, userId);
    checkUploadFile(file.name, file.size);
    if (!file.url_private_download) throw new TallyError('upload_download_failed', { file: file.name });
    let bytes: Uint8Array;
    try {
      bytes = await download(file.url_private_download);
    } catch (err) {
      deps.log.warn({ err: String(err), file: file.id }, 'could not download a shared file');
      throw new TallyError('upload_download_failed', { file: file.name });
    }
    const preview = await previewUpload(deps.tally, { by: userId, fileName: file.name, bytes });
    return { reply: uploadPreview(tx, preview), dms: [] };
  });
}

/** Import pressed: writes the file, all or nothing, and replaces the preview by what was written; a second press does nothing. */
export function importPressed(deps: SlackDeps, input: { userId: string; id: string }) {
  return guarded(deps, { action: 'upload_import', user: input.userId }, async (tx): Promise<Effects> => {
    const r = await importUpload(deps.tally, { id: input.id, by: input.userId });
    if (!r) return noEffects();
    return { replace: uploadImported(tx, input.userId, r), dms: [] };
  });
}

/** Cancel pressed: the preview is discarded and says so; pressed again, or after Import, nothing. */
export function cancelPressed(deps: SlackDeps, input: { userId: string; id: string }) {
  return guarded(deps, { action: 'upload_cancel', user: input.userId }, async (tx): Promise<Effects> => {
    const r = await cancelUpload(deps.tally, { id: input.id, by: input.userId });
    return r ? { replace: uploadCancelled(tx, r.fileName), dms: [] } : noEffects();
  });
}
