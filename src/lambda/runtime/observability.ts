import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context } from 'aws-lambda';

/**
 * Powertools for every handler: JSON logs with the request id and cold-start flag, EMF metrics
 * (namespace `Collections`, flushed after each invocation), and X-Ray segments (on only inside
 * Lambda with tracing enabled). POWERTOOLS_* variables adjust them (log level, namespace,
 * POWERTOOLS_METRICS_DISABLED…). Logs carry ids, steps and error messages: never event bodies,
 * tokens, keys or the database URL.
 */
const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'collections';
export const logger = new Logger({ serviceName });
export const metrics = new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Collections', serviceName });
export const tracer = new Tracer({ serviceName });
export { MetricUnit };

export type LambdaHandler<E, R> = (event: E, context: Context) => Promise<R>;

/** Wraps a handler: context in the logs, one X-Ray subsegment, metrics flushed however it ends. */
export function instrument<E, R>(name: string, fn: LambdaHandler<E, R>): LambdaHandler<E, R> {
  return async (event, context) => {
    logger.addContext(context);
    metrics.captureColdStartMetric(name);
    const segment = tracer.getSegment();
    const subsegment = segment?.addNewSubsegment(`## ${name}`);
    if (subsegment) tracer.setSegment(subsegment);
    tracer.annotateColdStart();
    tracer.addServiceNameAnnotation();
    try {
      return await fn(event, context);
    } catch (err) {
      tracer.addErrorAsMetadata(err as Error);
      throw err;
    } finally {
      subsegment?.close();
      if (segment) tracer.setSegment(segment);
      // Only when something was counted: an empty flush logs a warning on every invocation.
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    }
  };
}
