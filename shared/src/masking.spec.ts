import { describe, expect, it } from '@jest/globals';
import { maskFreeText, maskIdNumber, maskParty, maskPersonName, maskPhone } from './masking.js';

describe('maskPersonName', () => {
  it.each([
    ['张三', '张某'],
    ['张建国', '张某'],
    ['欧阳娜娜', '欧阳某'],
    ['司马光', '司马某'],
    ['欧阳', '欧某'],
    [' 李四 ', '李某'],
    ['', ''],
  ])('%j → %j', (name, masked) => {
    expect(maskPersonName(name)).toBe(masked);
  });
});

describe('maskIdNumber', () => {
  it.each([
    ['330825197803152317', '330***********2317'],
    ['33082519780315231X', '330***********231X'],
    ['330825780315231', '330********5231'],
    ['1234567', '*******'],
  ])('%s → %s', (id, masked) => {
    expect(maskIdNumber(id)).toBe(masked);
  });
});

describe('maskPhone', () => {
  it.each([
    ['13857001234', '138****1234'],
    ['138 5700 1234', '138****1234'],
    ['0570-7012345', '*******2345'],
    ['110', '***'],
  ])('%s → %s', (phone, masked) => {
    expect(maskPhone(phone)).toBe(masked);
  });
});

describe('maskFreeText', () => {
  const person = { kind: 'person' as const, name: '张建国' };
  it.each([
    ['对张建国处罚款 200 元', person, '对张某处罚款 200 元'],
    ['联系电话 13857001234。', person, '联系电话 138****1234。'],
    ['身份证号 330825197803152317，', person, '身份证号 330***********2317，'],
    ['座机 0570-7012345', person, '座机 *******2345'],
    ['决字〔2026〕第 0312 号', person, '决字〔2026〕第 0312 号'],
    ['统一社会信用代码 92330825MA2D4K7X3P', person, '统一社会信用代码 92330825MA2D4K7X3P'],
    [
      '责令龙游县湖镇鑫源建材经营部限期拆除',
      { kind: 'company' as const, name: '龙游县湖镇鑫源建材经营部' },
      '责令龙游县湖镇鑫源建材经营部限期拆除',
    ],
  ])('%s', (text, party, masked) => {
    expect(maskFreeText(text, party)).toBe(masked);
  });
});

describe('maskParty', () => {
  it.each([
    [
      { kind: 'person' as const, name: '欧阳明辉', idNumber: '330825199106207756' },
      { name: '欧阳某', idNumber: '330***********7756' },
    ],
    [
      { kind: 'person' as const, name: '李四', idNumber: null },
      { name: '李某', idNumber: null },
    ],
    [
      { kind: 'company' as const, name: '龙游县湖镇鑫源建材经营部', idNumber: '92330825MA2D4K7X3P' },
      { name: '龙游县湖镇鑫源建材经营部', idNumber: '92330825MA2D4K7X3P' },
    ],
  ])('%j', (party, published) => {
    expect(maskParty(party)).toEqual(published);
  });
});
