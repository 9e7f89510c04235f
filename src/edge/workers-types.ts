/**
 * The few Cloudflare Workers runtime types the edge uses, declared here rather than pulling in
 * @cloudflare/workers-types (whose globals would clash with Node's in the project's one tsconfig).
 * Shapes as documented at developers.cloudflare.com/durable-objects/api/.
 */

export interface DurableObjectId {
  toString(): string;
}

export interface DurableObjectStub {
  fetch(input: string | Request, init?: RequestInit): Promise<Response>;
}

export interface DurableObjectNamespace {
  idFromName(name: string): DurableObjectId;
  get(id: DurableObjectId): DurableObjectStub;
}

export interface DurableObjectStorage {
  get<T = unknown>(key: string): Promise<T | undefined>;
  put<T>(key: string, value: T): Promise<void>;
  delete(key: string): Promise<boolean>;
  deleteAll(): Promise<void>;
  setAlarm(scheduledTime: number | Date): Promise<void>;
}

export interface DurableObjectState {
  readonly id: DurableObjectId;
  readonly storage: DurableObjectStorage;
}

export interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}
