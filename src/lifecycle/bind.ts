/**
 * @module lifecycle/bind — a monitor's check with its alert policy applied: every driver (the
 * round, the stream driver, replay) binds through here, so every mode gets the lifecycle.
 */
import type { MonitorConfig } from '../config/model.js';
import type { PolledCheck, StreamedCheck } from '../modes/mode.js';
import { applyLifecycle } from './lifecycle.js';

export function withLifecycle(monitor: MonitorConfig, check: PolledCheck): PolledCheck {
  if (!monitor.alerting.active) return check;
  return {
    needs: check.needs,
    ...(check.baselineSymbols !== undefined && { baselineSymbols: check.baselineSymbols.bind(check) }),
    check: (states, inputs) => applyLifecycle(monitor, check.check(states, inputs), states, inputs.checkedAt),
  };
}

export function withStreamLifecycle<I>(monitor: MonitorConfig, check: StreamedCheck<I>): StreamedCheck<I> {
  if (!monitor.alerting.active) return check;
  return {
    streams: check.streams,
    ...(check.historySince !== undefined && { historySince: check.historySince.bind(check) }),
    ...(check.resume !== undefined && { resume: check.resume.bind(check) }),
    onBatch: (states, batch) => applyLifecycle(monitor, check.onBatch(states, batch), states, batch.at),
  };
}
