import { Injectable, type OnModuleInit } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { MESSAGE_METADATA } from '@nestjs/websockets/constants.js';
import { POLICIES } from './policies.js';
import { POLICY_KEY } from './policy.decorator.js';

export class MissingPolicyError extends Error {
  constructor(readonly handlers: string[]) {
    super(`Every route and socket event must declare a @Policy; missing on: ${handlers.join(', ')}`);
    this.name = 'MissingPolicyError';
  }
}

/** Finds handlers (routes, socket events) that declare no policy, or an unknown one. */
export function handlersWithoutPolicy(
  instances: { name: string; instance: object }[],
  reflector: Reflector,
  scanner: MetadataScanner,
): string[] {
  const missing: string[] = [];
  for (const { name, instance } of instances) {
    const proto = Object.getPrototypeOf(instance) as Record<string, unknown>;
    for (const method of scanner.getAllMethodNames(proto)) {
      const handler = proto[method];
      if (typeof handler !== 'function') continue;
      const isRoute =
        reflector.get(PATH_METADATA, handler) !== undefined && reflector.get(METHOD_METADATA, handler) !== undefined;
      const isEvent = reflector.get(MESSAGE_METADATA, handler) !== undefined;
      if (!isRoute && !isEvent) continue;
      const policy = reflector.get<string | undefined>(POLICY_KEY, handler);
      if (!policy || !(policy in POLICIES)) missing.push(`${name}.${method}`);
    }
  }
  return missing;
}

/** Refuses to boot when any route or socket event lacks a declared policy. */
@Injectable()
export class PolicyCoverageCheck implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
    private readonly scanner: MetadataScanner,
  ) {}

  onModuleInit(): void {
    const wrappers = [...this.discovery.getControllers(), ...this.discovery.getProviders()];
    const instances = wrappers.flatMap((w) => {
      const instance: unknown = w.instance;
      return instance && typeof instance === 'object' && w.metatype ? [{ name: String(w.name), instance }] : [];
    });
    const missing = handlersWithoutPolicy(instances, this.reflector, this.scanner);
    if (missing.length > 0) throw new MissingPolicyError(missing);
  }
}
