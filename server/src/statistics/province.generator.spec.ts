import { describe, expect, it } from '@jest/globals';
import { rngUuid, seededRng } from './activity.generator.js';
import { countyBase, TEMPLATE_COUNTY, ZHEJIANG_COUNTIES, type CountyTemplate } from './province.generator.js';

const rng = seededRng(3);
const id = () => rngUuid(rng);
const bureau = id();
const zdb = id();
const police = id();
const TEMPLATE: CountyTemplate = {
  agencies: [
    { id: bureau, code: 'ZFJ', kind: 'enforcement_bureau', nameZh: '龙游县综合行政执法局', nameEn: 'Longyou County Bureau', delegated: false, parentId: null },
    { id: id(), code: 'ZFJ-CQ', kind: 'bureau_squadron', nameZh: '城区执法中队', nameEn: 'Urban Squadron', delegated: false, parentId: bureau },
    { id: police, code: 'GAJ', kind: 'public_security', nameZh: '龙游县公安局', nameEn: 'Longyou County Police', delegated: false, parentId: null },
    { id: zdb, code: 'ZDB', kind: 'guidance_office', nameZh: '龙游县综合行政执法指导办', nameEn: 'Guidance Office', delegated: false, parentId: null },
    { id: id(), code: 'XZ-LZ', kind: 'township', nameZh: '龙洲街道', nameEn: 'Longzhou', delegated: true, parentId: null },
  ],
  items: ['A1', 'A2', 'A3'].map((code, i) => ({
    id: id(),
    code,
    nameZh: `事项${i}`,
    category: 'urban_management',
    legalBasis: '《城市市容和环境卫生管理条例》',
    transferBatch: '2021-1',
    transferDate: '2021-06-01',
    pinyinInitials: 'SX',
    version: {
      effectiveFrom: '2021-06-01',
      supervisingId: police,
      approvingId: null,
      penalisingId: bureau,
      delegated: i !== 2,
      evidenceHandoffDuty: '',
      resultFeedbackDuty: '',
      note: '',
    },
  })),
}; // prettier-ignore

describe('ZHEJIANG_COUNTIES', () => {
  it("lists Zhejiang's 90 county-level divisions once each, the demo county among them", () => {
    expect(ZHEJIANG_COUNTIES).toHaveLength(90);
    expect(new Set(ZHEJIANG_COUNTIES).size).toBe(90);
    expect(ZHEJIANG_COUNTIES).toContain(TEMPLATE_COUNTY);
  });
});

describe('countyBase', () => {
  const at = '2025-12-31T16:00:00.000Z';
  it('is reproducible from the seed, and differs between counties and seeds', () => {
    const one = countyBase(TEMPLATE, 4, 7, 'h', at);
    expect(countyBase(TEMPLATE, 4, 7, 'h', at)).toEqual(one);
    expect(countyBase(TEMPLATE, 5, 7, 'h', at).rows.agency[0]?.id).not.toBe(one.rows.agency[0]?.id);
    expect(countyBase(TEMPLATE, 4, 8, 'h', at).rows.agency[0]?.id).not.toBe(one.rows.agency[0]?.id);
  });

  it("names the county's agencies after it and hangs them all under its guidance office", () => {
    const c = countyBase(TEMPLATE, 1, 7, 'h', at);
    expect(c.name).not.toBe(TEMPLATE_COUNTY);
    const bureauRow = c.rows.agency.find((a) => a.code === 'ZJ01-ZFJ');
    expect(bureauRow?.name_zh).toBe(`${c.name}综合行政执法局`);
    const ids = new Set(c.rows.agency.map((a) => a.id));
    for (const a of c.rows.agency) {
      expect(String(a.code)).toMatch(/^ZJ01-/);
      if (a.id === c.rootId) expect(a.parent_id).toBeNull();
      else expect(ids.has(a.parent_id)).toBe(true);
    }
    const squadron = c.rows.agency.find((a) => a.code === 'ZJ01-ZFJ-CQ');
    expect(squadron?.parent_id).toBe(bureauRow?.id);
    const townships = c.rows.agency.filter((a) => a.kind === 'township');
    expect(townships.length).toBeGreaterThanOrEqual(8);
    expect(townships.length).toBeLessThanOrEqual(18);
    expect(new Set(townships.map((t) => t.name_zh)).size).toBe(townships.length);
  });

  it("gives every agency a user and the bureau officers, and a catalogue naming the county's agencies", () => {
    const c = countyBase(TEMPLATE, 2, 7, 'h', at);
    const ids = new Set(c.rows.agency.map((a) => a.id));
    for (const a of c.context.agencies) expect(c.context.actorsByAgency.has(a.id)).toBe(true);
    expect(c.context.officers.length).toBeGreaterThanOrEqual(30);
    expect(new Set(c.rows.app_user.map((u) => u.username)).size).toBe(c.rows.app_user.length);
    expect(c.rows.enforcement_item.map((i) => i.code)).toEqual(['ZJ02-A1', 'ZJ02-A2', 'ZJ02-A3']);
    for (const v of c.rows.boundary_version) {
      expect(ids.has(v.penalising_id)).toBe(true);
      expect(ids.has(v.supervising_id)).toBe(true);
      const delegated = String(v.delegated_township_ids).slice(1, -1).split(',').filter(Boolean);
      for (const t of delegated) expect(ids.has(t)).toBe(true);
    }
    expect(c.rows.boundary_version[2]?.delegated_township_ids).toBe('{}');
    expect(c.context.items.map((i) => i.id)).toEqual(c.rows.enforcement_item.map((i) => i.id));
  });
});
