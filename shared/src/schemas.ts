import { z } from 'zod';
import { AGENCY_KINDS, ROLES } from './agencies.js';

/**
 * Request and response schemas shared by server (validation + OpenAPI), client forms and tests.
 * Each is the one definition of its payload.
 */

export const Id = z.uuid();

export const LoginRequest = z
  .object({
    username: z.string({ error: '请输入用户名' }).trim().min(1, '请输入用户名').max(64),
    password: z.string({ error: '请输入密码' }).min(1, '请输入密码').max(256),
  })
  .meta({ id: 'LoginRequest' });
export type LoginRequest = z.infer<typeof LoginRequest>;

export const RefreshRequest = z
  .object({ refreshToken: z.string({ error: '缺少 refreshToken' }).min(20).max(512) })
  .meta({ id: 'RefreshRequest' });
export type RefreshRequest = z.infer<typeof RefreshRequest>;

export const AgencySummary = z
  .object({
    id: Id,
    code: z.string(),
    kind: z.enum(AGENCY_KINDS),
    nameZh: z.string(),
    nameEn: z.string(),
    delegated: z.boolean(),
    parentId: Id.nullable(),
  })
  .meta({ id: 'Agency' });
export type AgencySummary = z.infer<typeof AgencySummary>;

export const UserSummary = z
  .object({
    id: Id,
    username: z.string(),
    displayName: z.string(),
    agencyId: Id,
    roles: z.array(z.enum(ROLES)),
    active: z.boolean(),
  })
  .meta({ id: 'User' });
export type UserSummary = z.infer<typeof UserSummary>;

export const Me = UserSummary.extend({ agency: AgencySummary }).meta({ id: 'Me' });
export type Me = z.infer<typeof Me>;

export const TokenPair = z
  .object({
    accessToken: z.string(),
    refreshToken: z.string(),
    accessTokenExpiresIn: z.number().int().describe('seconds'),
    user: Me,
  })
  .meta({ id: 'TokenPair' });
export type TokenPair = z.infer<typeof TokenPair>;

const Username = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_.-]{2,31}$/, '用户名须为 3–32 位小写字母、数字或 _ . -，以字母开头');
const Password = z.string().min(10, '密码至少 10 位').max(256);

export const CreateUserRequest = z
  .object({
    username: Username,
    displayName: z.string().trim().min(1).max(64),
    password: Password,
    roles: z.array(z.enum(ROLES)).min(1, '至少指定一个角色'),
  })
  .meta({ id: 'CreateUserRequest' });
export type CreateUserRequest = z.infer<typeof CreateUserRequest>;

export const UpdateUserRequest = z
  .object({
    displayName: z.string().trim().min(1).max(64).optional(),
    roles: z.array(z.enum(ROLES)).min(1, '至少指定一个角色').optional(),
    active: z.boolean().optional(),
    password: Password.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: '没有要修改的字段' })
  .meta({ id: 'UpdateUserRequest' });
export type UpdateUserRequest = z.infer<typeof UpdateUserRequest>;

/** One error shape for every REST error. */
export const ErrorBody = z
  .object({
    statusCode: z.number().int(),
    error: z.string(),
    message: z.string(),
    details: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .describe('for validation errors: each bad field'),
    requestId: z.string().optional(),
  })
  .meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof ErrorBody>;

export const HealthComponent = z.object({
  status: z.enum(['up', 'down', 'degraded', 'disabled']),
  detail: z.string().optional(),
});
export const HealthReport = z
  .object({
    status: z.enum(['ok', 'degraded', 'down']),
    database: HealthComponent,
    redis: HealthComponent,
    queues: HealthComponent.extend({ backend: z.enum(['redis', 'postgres']) }),
    version: z.string(),
    /** the node that answered (NODE_ID): behind a load balancer, which one a client is pinned to */
    node: z.string(),
  })
  .meta({ id: 'Health' });
export type HealthReport = z.infer<typeof HealthReport>;
