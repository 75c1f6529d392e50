import type { FormInstance } from 'antd';
import type { FieldError } from '@xietong/shared';

/** Puts each bad field's message under its input: dotted paths (`party.name`) as the server and zod name them. */
export function showErrors<T>(form: FormInstance<T>, problems: readonly FieldError[]): void {
  form.setFields(problems.map((p) => ({ name: p.field.split('.') as never, errors: [p.message] })));
}

/** A v4 UUID from getRandomValues: crypto.randomUUID needs a secure context, which a county LAN may not give. */
export function newUuid(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * Puts each problem under the form field it names (`delegatedTownshipIds.2` under
 * `delegatedTownshipIds`) and returns those that name no field of the form, to show above it.
 */
export function placeErrors<T>(
  form: FormInstance<T>,
  problems: readonly FieldError[],
  fields: readonly string[],
): FieldError[] {
  const placed: FieldError[] = [];
  const rest: FieldError[] = [];
  for (const p of problems) {
    const root = p.field.split('.')[0] ?? '';
    if (fields.includes(root)) placed.push({ field: root, message: p.message });
    else rest.push(p);
  }
  showErrors(form, placed);
  return rest;
}
