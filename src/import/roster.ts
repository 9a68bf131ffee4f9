// roster.csv (or .xlsx): slack_id,name,track,level,hired_on,role,platform_account,effective_from (Chinese headers and values accepted).
import type { Day } from '../core/dates.js';
import { memberName, type NameRefusal } from '../core/names.js';
import {
  LEVEL_ZH,
  LEVELS,
  ROLE_ZH,
  ROLES,
  TRACK_WORDS,
  TRACKS,
  type Level,
  type Role,
  type Track,
} from '../core/policy.js';
import { isTallyError, TallyError, type CsvCell } from '../errors.js';
import { dayCell, readColumns, readCsv, type CsvFile } from './csv.js';
import { openTable, type FileSource, type TableOptions } from './table.js';

export interface RosterEntry {
  line: number;
  slackId: string;
  name: string;
  track: Track;
  level: Level;
  hiredOn: Day;
  /** absent when the file has no role (column or cell): a new member is an agent, an existing one keeps theirs */
  role?: Role;
  /** the shop sub-account the platform's reports name them by; absent (column or cell): unchanged */
  platformAccount?: string;
  /** from when a changed track, level or role applies; absent: the team's today (a new member: hired_on) */
  effectiveFrom?: Day;
  /** the file's headers as written and its sheet, for refusals the service makes */
  columns?: Readonly<Record<string, string>>;
  sheet?: string;
}

const COLUMNS = {
  slack_id: ['客服ID', 'slack', 'slack_user_id', 'user_id'],
  name: ['姓名', '名字'],
  track: ['岗位', '组别', '类型'],
  level: ['级别', '职级'],
  hired_on: ['入职日期', 'hire_date', 'hired'],
  role: ['角色', '权限'],
  platform_account: ['平台账号', '旺旺子账号', '子账号'],
  effective_from: ['生效日期', 'effective_date', 'from'],
};
const REQUIRED = ['slack_id', 'name', 'track', 'level', 'hired_on'];

/** a level or a role in Chinese, besides its code */
const LEVEL_WORDS: ReadonlyMap<string, Level> = new Map(LEVELS.map((l) => [LEVEL_ZH[l], l]));
const ROLE_WORDS: ReadonlyMap<string, Role> = new Map(ROLES.map((r) => [ROLE_ZH[r], r]));

export const SLACK_ID = /^[UW][A-Z0-9]{0,20}$/;

/** A name refused, as the refusal of its cell. */
export function nameError(r: NameRefusal, cell: CsvCell): TallyError {
  return r.problem === 'control'
    ? new TallyError('csv_name_control', { ...cell, char: r.char })
    : new TallyError('csv_bad_name', cell);
}

/** A cell's word for a track, level or role; a cell is looked up in a Map, so "constructor" is just an unknown word. */
function pick<T extends string>(value: string, allowed: readonly T[], words: ReadonlyMap<string, T>): T | undefined {
  const v = value
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  return (allowed as readonly string[]).includes(v) ? (v as T) : (words.get(value.trim()) ?? words.get(v));
}

export function parseRoster(path: string, bytes: Uint8Array): RosterEntry[] {
  const file = readCsv(path, bytes, COLUMNS, REQUIRED);
  const rows = new RosterRows(file);
  return file.rows.map(({ line, cells }) => rows.entry(line, cells));
}

/** A roster file, CSV or a workbook's sheet (a roster is small: read whole). */
export async function readRoster(source: FileSource, opts: TableOptions = {}): Promise<RosterEntry[]> {
  const { file, rows } = readColumns(await openTable(source, opts), COLUMNS, REQUIRED);
  const read = new RosterRows(file);
  const out: RosterEntry[] = [];
  for await (const { line, cells } of rows) out.push(read.entry(line, cells));
  return out;
}

/** A roster file read row by row: each row, or everything wrong with it (a preview goes on reading; an import stops). */
export async function readRosterRows(
  source: FileSource,
  opts: TableOptions = {},
): Promise<{ file: CsvFile; entries: AsyncIterable<RosterEntry | TallyError> }> {
  const { file, rows } = readColumns(await openTable(source, opts), COLUMNS, REQUIRED);
  const read = new RosterRows(file);
  return {
    file,
    entries: {
      async *[Symbol.asyncIterator]() {
        for await (const { line, cells } of rows) {
          const row = read.read(line, cells);
          if (Array.isArray(row)) yield* row;
          else yield row;
        }
      },
    },
  };
}

class RosterRows {
  private readonly seen = new Map<string, number>();
  private readonly accounts = new Map<string, number>();
  constructor(private readonly file: CsvFile) {}

  /** A row, or its first problem thrown (an import stops there). */
  entry(line: number, cells: Record<string, string>): RosterEntry {
    const read = this.read(line, cells);
    if (Array.isArray(read)) throw read[0];
    return read;
  }

  /** A row, or every problem of its cells (a preview lists them all). */
  read(line: number, cells: Record<string, string>): RosterEntry | TallyError[] {
    const file = this.file;
    const problems: TallyError[] = [];
    const check = <T>(read: () => T): T | undefined => {
      try {
        return read();
      } catch (e) {
        if (!isTallyError(e)) throw e;
        problems.push(e);
        return undefined;
      }
    };
    const slackId = cells.slack_id!.trim();
    if (!SLACK_ID.test(slackId)) problems.push(file.error(line, 'slack_id', 'csv_not_slack_id', { value: slackId }));
    else {
      const firstLine = this.seen.get(slackId);
      if (firstLine !== undefined)
        problems.push(file.error(line, 'slack_id', 'csv_repeated_member', { slackId, firstLine }));
      else this.seen.set(slackId, line);
    }
    const checked = memberName(cells.name!);
    if ('problem' in checked) problems.push(nameError(checked, file.cell(line, 'name')));
    const track = pick(cells.track!, TRACKS, TRACK_WORDS);
    if (!track) problems.push(file.error(line, 'track', 'csv_bad_track', { value: cells.track! }));
    const level = pick(cells.level!, LEVELS, LEVEL_WORDS);
    if (!level)
      problems.push(file.error(line, 'level', 'csv_bad_level', { value: cells.level!, levels: LEVELS.join(', ') }));
    const hiredOn = check(() => dayCell(file, line, 'hired_on', cells.hired_on!));
    const roleText = cells.role?.trim() ?? '';
    const role = roleText ? pick(roleText, ROLES, ROLE_WORDS) : undefined;
    if (roleText && !role)
      problems.push(file.error(line, 'role', 'csv_bad_role', { value: roleText, roles: ROLES.join(', ') }));
    const account = cells.platform_account?.trim() ?? '';
    if (account) {
      const first = this.accounts.get(account);
      if (first !== undefined) {
        problems.push(
          file.error(line, 'platform_account', 'csv_repeated_platform_account', { account, firstLine: first }),
        );
      } else this.accounts.set(account, line);
    }
    const fromText = cells.effective_from?.trim() ?? '';
    const effectiveFrom = fromText ? check(() => dayCell(file, line, 'effective_from', fromText)) : undefined;
    if (problems.length || 'problem' in checked || !track || !level || !hiredOn) return problems;
    return {
      line,
      slackId,
      name: checked.name,
      track,
      level,
      hiredOn,
      role,
      ...(account ? { platformAccount: account } : {}),
      ...(effectiveFrom ? { effectiveFrom } : {}),
      columns: file.columns,
      ...(file.sheet === undefined ? {} : { sheet: file.sheet }),
    };
  }
}
