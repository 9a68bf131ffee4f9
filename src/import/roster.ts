// roster.csv: slack_id,name,track,level,hired_on,role (Chinese headers and values accepted).
import type { Day } from '../core/dates.js';
import { LEVELS, ROLES, TRACK_WORDS, TRACKS, type Level, type Role, type Track } from '../core/policy.js';
import type { TallyError } from '../errors.js';
import { dayCell, eachRow, readCsv } from './csv.js';

export interface RosterEntry {
  line: number;
  slackId: string;
  name: string;
  track: Track;
  level: Level;
  hiredOn: Day;
  /** absent when the file has no role (column or cell): a new member is an agent, an existing one keeps theirs */
  role?: Role;
}

const COLUMNS = {
  slack_id: ['客服ID', 'slack', 'slack_user_id', 'user_id'],
  name: ['姓名', '名字'],
  track: ['岗位', '组别', '类型'],
  level: ['级别', '职级'],
  hired_on: ['入职日期', 'hire_date', 'hired'],
  role: ['角色', '权限'],
};

const LEVEL_WORDS: Record<string, Level> = {
  见习: 'trainee',
  正式: 'regular',
  资深: 'senior',
  组长: 'lead',
  主管: 'supervisor',
};
const ROLE_WORDS: Record<string, Role> = { 客服: 'agent', 组长: 'lead', 主管: 'supervisor', 管理员: 'admin' };

export const SLACK_ID = /^[UW][A-Z0-9]{0,20}$/;

function pick<T extends string>(value: string, allowed: readonly T[], words: Record<string, T>): T | undefined {
  const v = value
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  return (allowed as readonly string[]).includes(v) ? (v as T) : (words[value.trim()] ?? words[v]);
}

/** The rows of a roster file; with `problems`, refused rows are noted there instead of stopping (see eachRow). */
export function parseRoster(path: string, bytes: Uint8Array, problems?: TallyError[]): RosterEntry[] {
  const file = readCsv(path, bytes, COLUMNS, ['slack_id', 'name', 'track', 'level', 'hired_on']);
  const seen = new Map<string, number>();
  return eachRow(
    file.rows,
    ({ line, cells }) => {
      const slackId = cells.slack_id!.trim();
      if (!SLACK_ID.test(slackId)) throw file.error(line, 'slack_id', 'csv_not_slack_id', { value: slackId });
      const firstLine = seen.get(slackId);
      if (firstLine !== undefined) throw file.error(line, 'slack_id', 'csv_repeated_member', { slackId, firstLine });
      seen.set(slackId, line);
      const name = cells.name!.trim();
      if (!name || name.length > 80) throw file.error(line, 'name', 'csv_bad_name', {});
      const track = pick(cells.track!, TRACKS, TRACK_WORDS);
      if (!track) throw file.error(line, 'track', 'csv_bad_track', { value: cells.track! });
      const level = pick(cells.level!, LEVELS, LEVEL_WORDS);
      if (!level) throw file.error(line, 'level', 'csv_bad_level', { value: cells.level!, levels: LEVELS.join(', ') });
      const hiredOn = dayCell(file, line, 'hired_on', cells.hired_on!);
      const roleText = cells.role?.trim() ?? '';
      const role = roleText ? pick(roleText, ROLES, ROLE_WORDS) : undefined;
      if (roleText && !role)
        throw file.error(line, 'role', 'csv_bad_role', { value: roleText, roles: ROLES.join(', ') });
      return { line, slackId, name, track, level, hiredOn, role };
    },
    problems,
  );
}
