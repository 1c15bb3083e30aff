/**
 * @module delivery/sinks/registry — every sink type, in one table.
 *
 * Adding a sink type: one file implementing Sink and exporting a SinkType, and one
 * line here. test/integration/sinks.test.ts fails if a sink file is not registered.
 */
import { z } from 'zod';
import type { Sink, SinkDependencies, SinkType } from './sink.js';
import { discordSinkType } from './discord.js';
import { emailSinkType } from './email.js';
import { fileSinkType } from './file.js';
import { slackSinkType } from './slack.js';
import { stdoutSinkType } from './stdout.js';
import { telegramSinkType } from './telegram.js';
import { webhookSinkType } from './webhook.js';

export const SINK_TYPES = {
  stdout: stdoutSinkType,
  file: fileSinkType,
  webhook: webhookSinkType,
  telegram: telegramSinkType,
  discord: discordSinkType,
  slack: slackSinkType,
  email: emailSinkType,
} as const satisfies Record<string, SinkType<{ type: string }>>;

export type SinkTypeName = keyof typeof SINK_TYPES;
export type SinkConfig = z.infer<(typeof SINK_TYPES)[SinkTypeName]['schema']>;

const schemas = Object.values(SINK_TYPES).map((t) => t.schema) as unknown as [z.ZodType<SinkConfig>, ...Array<z.ZodType<SinkConfig>>];

/** Any sink's settings, chosen by `type`. */
export const sinkConfigSchema: z.ZodType<SinkConfig> = z.discriminatedUnion('type', schemas as unknown as Parameters<typeof z.discriminatedUnion>[1], {
  error: `type must be one of ${Object.keys(SINK_TYPES).join(', ')}`,
}) as unknown as z.ZodType<SinkConfig>;

/** The built-in sink every monitor can use without declaring it. */
export const BUILT_IN_SINKS: Record<string, SinkConfig> = { stdout: { type: 'stdout' } };

/** Builds a sink from its settings. */
export function createSink(name: string, config: SinkConfig, deps: SinkDependencies): Sink {
  const type = SINK_TYPES[config.type as SinkTypeName] as unknown as SinkType<SinkConfig>;
  return type.create(name, config, deps);
}
