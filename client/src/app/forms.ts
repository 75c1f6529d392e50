import type { FormInstance } from 'antd';
import type { FieldError } from '@xietong/shared';

/** Puts each bad field's message under its input: dotted paths (`party.name`) as the server and zod name them. */
export function showErrors<T>(form: FormInstance<T>, problems: readonly FieldError[]): void {
  form.setFields(problems.map((p) => ({ name: p.field.split('.') as never, errors: [p.message] })));
}
