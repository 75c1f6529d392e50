import { describe, expect, it } from '@jest/globals';
import { CreateUserRequest, LoginRequest } from './schemas.js';
import { fieldErrors } from './validation.js';

describe('fieldErrors', () => {
  it('names every bad field of a login request', () => {
    const result = LoginRequest.safeParse({ username: '' });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(fieldErrors(result.error)).toEqual([
      { field: 'username', message: '请输入用户名' },
      { field: 'password', message: '请输入密码' },
    ]);
  });

  it('gives array items a dotted path', () => {
    const result = CreateUserRequest.safeParse({
      username: 'lz.new',
      displayName: '新用户',
      password: 'long-enough-password',
      roles: ['township_staff', 'mayor'],
    });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(fieldErrors(result.error).map((e) => e.field)).toEqual(['roles.1']);
  });
});
