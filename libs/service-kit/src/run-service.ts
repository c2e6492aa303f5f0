import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express, { NextFunction, Request, Response } from 'express';
import { Logger as PinoLogger } from 'nestjs-pino';
import pino from 'pino';
import { ConfigError } from './config';
import { Dependencies, preflight } from './preflight';
import { problem, ProblemDetailsFilter, sendProblem, StatusByCode } from './problem-details.filter';
import { strictValidationPipe } from './validation';

/** A handler that may answer a request before Express/Nest sees it; returns false to pass it on. */
export type FastPathHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

export interface ServiceOptions {
  name: string;
  title: string;
  port: number;
  host?: string;
  /** the root module; built by a factory so config errors surface before Nest starts */
  module: () => Type<unknown>;
  dependencies: Dependencies;
  statusByCode?: StatusByCode;
  /** resolved from the app once it is initialised: the hot path served by plain node:http (no Nest per request) */
  fastPath?: (app: INestApplication) => FastPathHandler;
  bodyLimit?: string;
}

export interface RunningService {
  app: INestApplication;
  server: Server;
  close(): Promise<void>;
}

/**
 * Starts one service: preflight of its dependencies (one clear line each, exit 1), Nest app with JSON logs,
 * strict DTO validation, RFC 9457 errors, 64 KiB body limit, OpenAPI at /docs, graceful shutdown.
 */
export async function runService(options: ServiceOptions): Promise<RunningService> {
  const bootLog = pino({ name: options.name });
  const missing = await preflight(options.dependencies);
  if (missing.length > 0) {
    for (const line of missing) bootLog.fatal(line);
    bootLog.fatal(`${options.name} cannot start: ${missing.length} dependency(ies) unreachable`);
    process.exit(1);
  }

  let app: NestExpressApplication;
  try {
    app = await NestFactory.create<NestExpressApplication>(options.module(), {
      bufferLogs: true,
      bodyParser: false,
      abortOnError: false,
    });
  } catch (err) {
    bootLog.fatal(err instanceof ConfigError ? err.message : `${options.name} failed to start: ${(err as Error).message}`);
    process.exit(1);
  }
  app.useLogger(app.get(PinoLogger));
  app.flushLogs();
  app.disable('x-powered-by');
  const filter = new ProblemDetailsFilter(options.statusByCode);
  app.use(express.json({ limit: options.bodyLimit ?? '64kb', type: ['application/json', 'application/*+json'] }));
  app.use(express.urlencoded({ extended: false, limit: options.bodyLimit ?? '64kb' }));
  // body-parser errors (bad JSON, too large) become problem details, not HTML
  app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (!err) return next();
    sendProblem(res, filter.toProblem(err));
  });
  app.useGlobalPipes(strictValidationPipe());
  app.useGlobalFilters(filter);

  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder().setTitle(options.title).setVersion('1').addBearerAuth().build(),
  );
  SwaggerModule.setup('docs', app, doc, { jsonDocumentUrl: 'docs-json' });

  await app.init();
  const expressApp = app.getHttpAdapter().getInstance() as (req: IncomingMessage, res: ServerResponse) => void;
  const fast = options.fastPath?.(app);
  const server = createServer((req, res) => {
    if (fast && fast(req, res)) return;
    expressApp(req, res);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  const logger = app.get(PinoLogger);
  logger.log(`${options.name} listening on http://127.0.0.1:${options.port} (docs at /docs)`);

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.close();
    })());
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      server.closeAllConnections?.();
      close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
  return { app, server, close };
}

export { problem };
