import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { Controller, Get, Post } from '@nestjs/common';
import { MetadataScanner, Reflector } from '@nestjs/core';
import { SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { handlersWithoutPolicy } from './policy-coverage.js';
import { Policy } from './policy.decorator.js';

@Controller('things')
class CoveredController {
  @Get()
  @Policy('agency.list')
  list(): string[] {
    return [];
  }
  helper(): number {
    return 1;
  }
}

@Controller('leaky')
class LeakyController {
  @Get()
  @Policy('agency.list')
  fine(): string {
    return '';
  }
  @Post()
  forgotten(): string {
    return '';
  }
}

@WebSocketGateway()
class LeakyGateway {
  @SubscribeMessage('thing.do')
  handle(): void {}
  @SubscribeMessage('thing.ok')
  @Policy('socket.ping')
  ok(): void {}
}

describe('policy coverage at boot', () => {
  const check = (instances: object[]) =>
    handlersWithoutPolicy(
      instances.map((i) => ({ name: i.constructor.name, instance: i })),
      new Reflector(),
      new MetadataScanner(),
    );

  it('accepts handlers that all declare a policy, ignoring plain methods', () => {
    expect(check([new CoveredController()])).toEqual([]);
  });

  it('names every route and socket event without a policy', () => {
    expect(check([new CoveredController(), new LeakyController(), new LeakyGateway()])).toEqual([
      'LeakyController.forgotten',
      'LeakyGateway.handle',
    ]);
  });
});
