/**
 * 行政执法公示 masking rules: what a published penalty decision may show of the people in it.
 * Natural persons appear as 姓 + 某 (张某, 欧阳某); ID-card and phone numbers keep only their
 * ends; companies (and their unified social credit codes) are published as they are, because a
 * legal person's penalty is public information. Plain functions, no I/O.
 */

/** Two-character surnames (复姓) common enough to be met in a county's case files. */
const COMPOUND_SURNAMES = [
  '欧阳',
  '司马',
  '上官',
  '诸葛',
  '东方',
  '皇甫',
  '令狐',
  '慕容',
  '尉迟',
  '公孙',
  '长孙',
  '宇文',
  '司徒',
  '夏侯',
  '轩辕',
  '端木',
  '独孤',
  '南宫',
  '西门',
  '百里',
];

/** 张三 → 张某, 欧阳娜娜 → 欧阳某; a name that is not Chinese characters keeps its first letter. */
export function maskPersonName(name: string): string {
  const n = name.trim();
  if (n === '') return '';
  const compound = COMPOUND_SURNAMES.find((s) => n.startsWith(s) && n.length > s.length);
  if (compound) return `${compound}某`;
  const first = [...n][0] ?? '';
  return `${first}某`;
}

/** 18- or 15-character ID-card numbers: the first 3 and last 4 stay, the rest (birth date included) becomes *. */
export function maskIdNumber(id: string): string {
  const v = id.trim();
  if (v.length <= 7) return '*'.repeat(v.length);
  return `${v.slice(0, 3)}${'*'.repeat(v.length - 7)}${v.slice(-4)}`;
}

/** Mobile 13812345678 → 138****5678; a landline keeps its last 4 digits. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (/^1\d{10}$/.test(digits)) return `${digits.slice(0, 3)}****${digits.slice(7)}`;
  if (digits.length <= 4) return '*'.repeat(digits.length);
  return `${'*'.repeat(digits.length - 4)}${digits.slice(-4)}`;
}

// ID-card numbers (18 with a possible X, or 15 digits) and mainland mobile numbers, not inside longer digit runs.
const ID_CARD = /(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])/g;
const MOBILE = /(?<!\d)(1[3-9]\d[ -]?\d{4}[ -]?\d{4})(?!\d)/g;
const LANDLINE = /(?<!\d)(0\d{2,3}-\d{7,8})(?!\d)/g;

export interface PartyToMask {
  kind: 'person' | 'company';
  name: string;
}

/**
 * Free text of a decision (案情, 处罚内容): ID-card and phone numbers masked wherever they appear,
 * and a natural person's full name replaced by its masked form. Company names are left alone.
 */
export function maskFreeText(text: string, party?: PartyToMask): string {
  let out = text.replace(ID_CARD, (m) => maskIdNumber(m)).replace(MOBILE, (m) => maskPhone(m));
  out = out.replace(LANDLINE, (m) => maskPhone(m));
  if (party?.kind === 'person' && party.name.trim().length >= 2) {
    out = out.split(party.name.trim()).join(maskPersonName(party.name));
  }
  return out;
}

/** The party as published: a person masked, a company as named (its credit code too). */
export function maskParty(party: PartyToMask & { idNumber?: string | null }): {
  name: string;
  idNumber: string | null;
} {
  if (party.kind === 'company') return { name: party.name.trim(), idNumber: party.idNumber ?? null };
  return { name: maskPersonName(party.name), idNumber: party.idNumber ? maskIdNumber(party.idNumber) : null };
}
