import type { z } from 'zod';

export interface FieldError {
  field: string;
  message: string;
}

/** Flattens a zod error to one entry per bad field, with a dotted path (`roles.0`). */
export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.map(String).join('.') : '(body)',
    message: issue.message,
  }));
}
