// A file dropped into Tally's DMs, as the lead reads it: what Tally took it for, what it would write,
// its problems by row and column (a roster's all, a metrics file's first); then what Import wrote, or that Cancel discarded it.
import type { UploadImported, UploadPreview } from '../../service/uploads.js';
import {
  actions,
  button,
  clip,
  context,
  escape,
  header,
  linesToSections,
  message,
  section,
  type Msg,
} from '../blocks.js';
import { ID } from '../ids.js';
import { problemText, type Texts } from '../text/index.js';

/** A file's name is the uploader's words: plain in a header, escaped where Slack reads mrkdwn. */
const fileTitle = (tx: Texts, fileName: string, kind: UploadPreview['kind']) =>
  tx.upload.title(clip(fileName, 100), tx.upload.kind[kind]);

export function uploadPreview(tx: Texts, p: UploadPreview): Msg {
  const title = fileTitle(tx, p.fileName, p.kind);
  const facts = [tx.upload.rows(p.rows, p.members)];
  if (p.kind === 'metrics' && p.from && p.to) facts.push(tx.upload.days(p.from, p.to, p.newDays, p.replacedDays));
  if (p.kind === 'roster') facts.push(tx.upload.people(p.newMembers, p.existingMembers));
  const blocks = [header(clip(title, 150)), section(facts.join('\n'))];
  if (p.problemCount) {
    // every problem kept (a roster's, all of them), in as few sections as hold them
    const lines = p.problems.map((e) => `• ${clip(problemText(tx, e), 280)}`);
    blocks.push(...linesToSections([tx.upload.problems(p.problemCount), ...lines]));
    blocks.push(
      context(p.problemCount > p.problems.length ? tx.upload.moreProblems(p.problems.length) : tx.upload.fixAndResend),
    );
  } else if (p.id) {
    blocks.push(
      context(tx.upload.ready),
      actions(
        'upload',
        button(tx.upload.import, ID.uploadImport, p.id, 'primary'),
        button(tx.upload.cancel, ID.uploadCancel, p.id),
      ),
    );
  }
  return message(escape(title), blocks);
}

/** The preview once imported: its buttons replaced by what was written. */
export function uploadImported(tx: Texts, by: string, r: UploadImported): Msg {
  const what = r.kind === 'roster' ? tx.upload.importedRoster(r.roster) : tx.upload.importedMetrics(r.metrics);
  const title = fileTitle(tx, r.fileName, r.kind);
  return message(`${escape(title)}: ${what}`, [
    header(clip(title, 150)),
    section(`${tx.upload.imported(by)}\n${what}`),
  ]);
}

export function uploadCancelled(tx: Texts, fileName: string): Msg {
  const text = tx.upload.cancelled(escape(clip(fileName, 100)));
  return message(text, [section(text)]);
}
