// The REST layer (zstack `rest/.../RestServer.java`; docs/zstack-behaviour.md#replies-and-status-codes): URL
// → API, the synchronous checks RestServer makes before it hands a message on (Authorization header, action
// key, JSON types, X-Job-UUID), then a sync reply or a 202 job.

import type { IncomingHttpHeaders } from "node:http";
import { VM_ACTION_NAMES } from "../vocabulary/vm-actions";
import { actionFields, type ActionRunner, type Submission } from "./actions";
import type { ApiActionName } from "./api-actions";
import type { Auth, Credential } from "./auth";
import type { EndpointKind } from "../vocabulary/endpoint-kinds";
import { isUuid, newUuid } from "./ids";
import { INVENTORY_CLASSES, VM_INVENTORY_FIELDS } from "./inventory";
import { Job, type JobRegistry } from "./jobs";
import { parseQuery, runQuery } from "./query";
import type { ServerVersion } from "./server-version";
import {
  RESOURCE_CONFIG_FIELDS,
  resourceConfigDefinition,
  unknownResourceConfig,
  type ResourceConfigStore,
} from "./resource-configs";
import { validateParams, verifyTypes, type FieldSpec } from "./validation";
import type { VmStore } from "./vm-store";
import { errorReply, jsonReply, textReply, ZStackApiError, type Reply } from "./wire";

/** A request as the REST layer sees it. */
interface IncomingCall {
  readonly method: string;
  /** The full request path, context path included (what `getRequestURI` returns). */
  readonly requestUri: string;
  /** The path after the context path, e.g. `/v1/vm-instances`. */
  readonly path: string;
  readonly search: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** What a routed request produced: the reply, and the job it created, if any. */
export interface Handled {
  readonly reply: Reply;
  readonly jobUuid?: string;
}

/** A request matched to an API: what fault matching and the log need to know, and how to process it. */
export interface RoutedCall {
  readonly kind: EndpointKind;
  readonly action?: ApiActionName;
  readonly vmUuid?: string;
  /** The polled job. */
  readonly jobUuid?: string;
  /** The session the request carries (`Authorization: OAuth <uuid>`), if any. */
  readonly sessionUuid?: string;
  /** Processes the call; an action answered synchronously resolves once it has run. */
  handle(): Handled | Promise<Handled>;
}

/** The node's state the routes work on. */
interface NodeState {
  readonly auth: Auth;
  readonly vms: VmStore;
  readonly configs: ResourceConfigStore;
  readonly jobs: JobRegistry;
  readonly runner: ActionRunner;
  /** The version the node reports, which decides the actions it knows. */
  readonly version: ServerVersion;
  /**
   * Actions answered synchronously: the submit waits for the action and answers 200 with its result or 503 with
   * its error, as the management node answers an `APISyncCallMessage` (RestServer.sendMessage), and no job is
   * kept to poll. Every other action is answered 202 + `location`.
   */
  readonly synchronous: ReadonlySet<ApiActionName>;
  /** The `location` of a job, on the advertised host. */
  jobUrl(jobUuid: string): string;
}

type Params = Readonly<Record<string, string>>;
type Prepare = (call: IncomingCall, params: Params) => RoutedCall;

interface Route {
  readonly segments: readonly string[];
  readonly kind: EndpointKind;
  readonly methods: Readonly<Record<string, Prepare>>;
}

const LOGIN_FIELDS: readonly FieldSpec[] = [
  { name: "accountName", type: "string", required: true },
  { name: "password", type: "string", required: true },
];

// `apiTimeout` of the 202 body, in ms, when the request sets no X-API-Timeout. The server's default is
// not settled by the source (docs/zstack-behaviour.md#not-settled-by-the-source); 30 minutes is the usual
// ZStack API timeout.
const DEFAULT_API_TIMEOUT_MS = 30 * 60 * 1000;

function header(call: IncomingCall, name: string): string | undefined {
  const value = call.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

// Malformed JSON makes Gson throw; RestServer answers any unexpected exception with 500 and its message.
function parseBody(
  call: IncomingCall,
): { readonly body: Record<string, unknown> } | { readonly reply: Reply } {
  if (call.body.trim() === "") return { body: {} };
  try {
    const parsed: unknown = JSON.parse(call.body);
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed))
      return { body: parsed as Record<string, unknown> };
    return { reply: textReply(500, `Expected a JSON object but was ${call.body.trim().slice(0, 40)}`) };
  } catch (e) {
    return { reply: textReply(500, `com.google.gson.JsonSyntaxException: ${(e as Error).message}`) };
  }
}

// The action's parameters: a null value means an empty message (RestServer); anything else must be an object.
type ActionParams = { readonly params: Record<string, unknown> } | { readonly reply: Reply };
function actionParams(body: Record<string, unknown>, key: string): ActionParams {
  const value = body[key];
  if (value === undefined || value === null) return { params: {} };
  if (typeof value === "object" && !Array.isArray(value)) return { params: value as Record<string, unknown> };
  // Not from the source: Gson fails to read a non-object into the message class.
  return { reply: textReply(500, `Expected BEGIN_OBJECT but was ${JSON.stringify(value)} for [${key}]`) };
}

// RestServer matches the URL-decoded path; a malformed escape is kept as it is.
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function sessionOf(call: IncomingCall): string | undefined {
  const auth = header(call, "authorization")?.trim();
  return auth?.startsWith("OAuth ") ? auth.slice("OAuth ".length).trim() : undefined;
}

/** The route table and handlers of one management node. */
export class Routes {
  private readonly routes: readonly Route[];

  constructor(private readonly node: NodeState) {
    this.routes = [
      { segments: ["v1", "accounts", "login"], kind: "login", methods: { PUT: (c) => this.login(c) } },
      {
        segments: ["v1", "accounts", "sessions", "{uuid}"],
        kind: "logout",
        methods: { DELETE: (c, p) => this.logout(c, p) },
      },
      {
        segments: ["v1", "accounts", "sessions", "{uuid}", "valid"],
        kind: "sessionValid",
        methods: { GET: (c, p) => this.sessionValid(c, p) },
      },
      { segments: ["v1", "vm-instances"], kind: "vmQuery", methods: { GET: (c, p) => this.vmQuery(c, p) } },
      {
        segments: ["v1", "vm-instances", "{uuid}"],
        kind: "vmQuery",
        methods: { GET: (c, p) => this.vmQuery(c, p) },
      },
      {
        segments: ["v1", "vm-instances", "{uuid}", "actions"],
        kind: "actionSubmit",
        methods: { PUT: (c, p) => this.vmAction(c, p) },
      },
      {
        segments: ["v1", "resource-configurations"],
        kind: "resourceConfig",
        methods: { GET: (c) => this.resourceConfigQuery(c) },
      },
      {
        // GET /{resourceUuid}/{category}/{name} and DELETE /{category}/{name}/{resourceUuid} share a shape.
        segments: ["v1", "resource-configurations", "{a}", "{b}", "{c}"],
        kind: "resourceConfig",
        methods: {
          GET: (c, p) => this.resourceConfigGet(c, p),
          DELETE: (c, p) => this.resourceConfigWrite(c, p, "deleteResourceConfig"),
        },
      },
      {
        segments: ["v1", "resource-configurations", "{a}", "{b}", "{c}", "actions"],
        kind: "resourceConfig",
        methods: { PUT: (c, p) => this.resourceConfigWrite(c, p, "updateResourceConfig") },
      },
      {
        segments: ["v1", "management-nodes", "actions"],
        kind: "version",
        methods: { PUT: (c) => this.managementNodeAction(c) },
      },
      {
        segments: ["v1", "api-jobs", "{uuid}"],
        kind: "jobPoll",
        methods: { GET: (c, p) => this.jobPoll(c, p) },
      },
    ];
  }

  /** Matches the request to an API; a 404/405 reply when none takes it. */
  route(call: IncomingCall): RoutedCall | Reply {
    const parts = call.path.split("/").filter((s) => s !== "");
    for (const route of this.routes) {
      const params = this.match(route.segments, parts);
      if (params === undefined) continue;
      const prepare = route.methods[call.method];
      if (prepare !== undefined) return prepare(call, params);
      if (route.kind === "jobPoll")
        return textReply(405, "only GET method is allowed for querying job status", { Allow: "GET" });
      return textReply(405, `The method[${call.method}] is not allowed for the path[${call.requestUri}]`, {
        Allow: Object.keys(route.methods).join(", "),
      });
    }
    return textReply(404, `no api mapping to ${call.path}`);
  }

  private match(segments: readonly string[], parts: readonly string[]): Params | undefined {
    if (segments.length !== parts.length) return undefined;
    const params: Record<string, string> = {};
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i] ?? "";
      const part = decodeSegment(parts[i] ?? "");
      if (segment.startsWith("{")) params[segment.slice(1, -1)] = part;
      else if (segment !== part) return undefined;
    }
    return params;
  }

  // The REST layer's Authorization parsing, with the AccessKey signature over the path after the context.
  private authenticate(call: IncomingCall): { readonly credential: Credential } | { readonly reply: Reply } {
    return this.node.auth.authenticate({
      authorization: header(call, "authorization"),
      date: header(call, "date"),
      method: call.method,
      uri: call.path,
    });
  }

  private login(call: IncomingCall): RoutedCall {
    return {
      kind: "login",
      handle: () => {
        const parsed = parseBody(call);
        if ("reply" in parsed) return parsed;
        // A unique action path: a missing key yields an empty message, which fails validation (SYS.1007).
        const params = actionParams(parsed.body, "logInByAccount");
        if ("reply" in params) return params;
        const typed = verifyTypes(params.params, LOGIN_FIELDS);
        if ("typeError" in typed) return { reply: textReply(400, typed.typeError) };
        const invalid = validateParams(typed.message, LOGIN_FIELDS);
        if (invalid !== undefined) return { reply: errorReply(invalid) };
        try {
          const inventory = this.node.auth.login(
            String(typed.message["accountName"]).trim(),
            String(typed.message["password"]).trim(),
          );
          const schema =
            header(call, "x-json-schema") === undefined
              ? {}
              : { schema: { inventory: INVENTORY_CLASSES.session } };
          return { reply: jsonReply(200, { inventory, ...schema }) };
        } catch (e) {
          if (e instanceof ZStackApiError) return { reply: errorReply(e.error) };
          throw e;
        }
      },
    };
  }

  private logout(_call: IncomingCall, params: Params): RoutedCall {
    const sessionUuid = params["uuid"] ?? "";
    return {
      kind: "logout",
      sessionUuid,
      handle: () => {
        this.node.auth.logout(sessionUuid);
        return { reply: jsonReply(200, {}) };
      },
    };
  }

  private sessionValid(_call: IncomingCall, params: Params): RoutedCall {
    const sessionUuid = params["uuid"] ?? "";
    return {
      kind: "sessionValid",
      sessionUuid,
      handle: () => ({ reply: jsonReply(200, { valid: this.node.auth.isValid(sessionUuid) }) }),
    };
  }

  private vmQuery(call: IncomingCall, params: Params): RoutedCall {
    const uuid = params["uuid"];
    return {
      kind: "vmQuery",
      ...(uuid === undefined ? {} : { vmUuid: uuid }),
      ...this.sessionField(call),
      handle: () => {
        const authn = this.authenticate(call);
        if ("reply" in authn) return authn;
        // `GET /vm-instances/{uuid}` is the query `uuid=<uuid>`; other parameters are ignored
        // (RestServer.handleQueryApi).
        const query = parseQuery(
          uuid === undefined ? call.search : new URLSearchParams([["q", `uuid=${uuid}`]]),
        );
        if ("status" in query) return { reply: query };
        const unauthorized = this.node.auth.authorize(authn.credential);
        if (unauthorized !== undefined) return { reply: errorReply(unauthorized) };
        const vm = uuid === undefined ? undefined : this.node.vms.get(uuid);
        const inventories = uuid === undefined ? this.node.vms.list() : vm === undefined ? [] : [vm];
        return {
          reply: runQuery(query, {
            inventories,
            fields: VM_INVENTORY_FIELDS,
            className: INVENTORY_CLASSES.vm,
          }),
        };
      },
    };
  }

  private vmAction(call: IncomingCall, params: Params): RoutedCall {
    const vmUuid = params["uuid"] ?? "";
    const parsed = parseBody(call);
    // The first API of the shared URL whose action name is a key of the body (RestServer); a node older than
    // the API has no mapping for its key.
    const known = VM_ACTION_NAMES.filter((a) => a !== "setVmClockTrack" || this.node.version.knowsClockTrack);
    const action = "body" in parsed ? known.find((a) => a in parsed.body) : undefined;
    return {
      kind: "actionSubmit",
      vmUuid,
      ...(action === undefined ? {} : { action }),
      ...this.sessionField(call),
      handle: () => {
        const authn = this.authenticate(call);
        if ("reply" in authn) return authn;
        if ("reply" in parsed) return parsed;
        if (action === undefined)
          return {
            reply: textReply(400, `the body doesn't contain action mapping to the URL[${call.path}]`),
          };
        return this.submit(call, authn.credential, action, vmUuid, actionParams(parsed.body, action));
      },
    };
  }

  // APIGetVersionMsg: a sync API with @SuppressCredentialCheck, so no Authorization is needed; its reply maps
  // every field (`@RestResponse(fieldsTo = {"all"})`): `{"version": "4.8.0"}`.
  private managementNodeAction(call: IncomingCall): RoutedCall {
    return {
      kind: "version",
      handle: () => {
        const parsed = parseBody(call);
        if ("reply" in parsed) return parsed;
        if (!("getVersion" in parsed.body))
          return {
            reply: textReply(400, `the body doesn't contain action mapping to the URL[${call.path}]`),
          };
        return { reply: jsonReply(200, { version: this.node.version.text }) };
      },
    };
  }

  private resourceConfigQuery(call: IncomingCall): RoutedCall {
    return {
      kind: "resourceConfig",
      ...this.sessionField(call),
      handle: () => {
        const authn = this.authenticate(call);
        if ("reply" in authn) return authn;
        const query = parseQuery(call.search);
        if ("status" in query) return { reply: query };
        const unauthorized = this.node.auth.authorize(authn.credential);
        if (unauthorized !== undefined) return { reply: errorReply(unauthorized) };
        const target = {
          inventories: this.node.configs.list(),
          fields: RESOURCE_CONFIG_FIELDS,
          className: INVENTORY_CLASSES.resourceConfig,
        };
        return { reply: runQuery(query, target) };
      },
    };
  }

  // GetResourceConfig is a sync API: 200 `{"value", "effectiveConfigs"}` or 503 (APIGetResourceConfigReply).
  private resourceConfigGet(call: IncomingCall, params: Params): RoutedCall {
    const { a: resourceUuid = "", b: category = "", c: name = "" } = params;
    return {
      kind: "resourceConfig",
      vmUuid: resourceUuid,
      ...this.sessionField(call),
      handle: () => {
        const authn = this.authenticate(call);
        if ("reply" in authn) return authn;
        const definition = resourceConfigDefinition(category, name);
        if (definition === undefined) return { reply: errorReply(unknownResourceConfig(category, name)) };
        const unauthorized = this.node.auth.authorize(authn.credential);
        if (unauthorized !== undefined) return { reply: errorReply(unauthorized) };
        return { reply: jsonReply(200, this.node.configs.get(resourceUuid, definition)) };
      },
    };
  }

  // UpdateResourceConfig (PUT .../{category}/{name}/{resourceUuid}/actions) and DeleteResourceConfig
  // (DELETE .../{category}/{name}/{resourceUuid}) are async, like the VM actions.
  private resourceConfigWrite(
    call: IncomingCall,
    params: Params,
    action: "updateResourceConfig" | "deleteResourceConfig",
  ): RoutedCall {
    const { a: category = "", b: name = "", c: resourceUuid = "" } = params;
    const parsed = parseBody(call);
    return {
      kind: "resourceConfig",
      action,
      vmUuid: resourceUuid,
      ...this.sessionField(call),
      handle: () => {
        const authn = this.authenticate(call);
        if ("reply" in authn) return authn;
        if ("reply" in parsed) return parsed;
        const message =
          action === "updateResourceConfig" ? actionParams(parsed.body, action) : { params: {} };
        return this.submit(call, authn.credential, action, resourceUuid, message, { category, name });
      },
    };
  }

  // The last synchronous checks (JSON types, X-Job-UUID), then the job and its 202 (RestServer.sendMessage),
  // or, for an action answered synchronously, its result.
  private submit(
    call: IncomingCall,
    credential: Credential,
    action: ApiActionName,
    resourceUuid: string,
    params: ActionParams,
    config?: { readonly category: string; readonly name: string },
  ): Handled | Promise<Handled> {
    if ("reply" in params) return params;
    const typed = verifyTypes(params.params, actionFields(action, this.node.version));
    if ("typeError" in typed) return { reply: textReply(400, typed.typeError) };
    const requested = header(call, "x-job-uuid");
    if (requested !== undefined && !isUuid(requested))
      return { reply: textReply(400, "Invalid header[X-Job-UUID], it must be a UUID with '-' stripped") };
    if (requested !== undefined && this.node.jobs.get(requested) !== undefined)
      return { reply: textReply(400, `Duplicate job uuid[${requested}]`) };
    const jobUuid = requested ?? newUuid();
    const submission = {
      action,
      resourceUuid,
      message: typed.message,
      credential,
      withSchema: header(call, "x-json-schema") !== undefined,
      ...(config === undefined ? {} : { config }),
    };
    if (this.node.synchronous.has(action))
      return this.answerSynchronously(new Job(jobUuid, action, resourceUuid), submission);
    const job = this.node.jobs.create(jobUuid, action, resourceUuid);
    void this.node.runner.run(job, submission);
    const timeoutSeconds = Number(header(call, "x-api-timeout"));
    const apiTimeout = timeoutSeconds > 0 ? Math.round(timeoutSeconds * 1000) : DEFAULT_API_TIMEOUT_MS;
    return { reply: jsonReply(202, { location: this.node.jobUrl(jobUuid), apiTimeout }), jobUuid };
  }

  // `bus.call` then `sendReplyResponse`: no AsyncRestVO is saved, so a poll of the X-Job-UUID answers 404 and a
  // resubmission of it is not refused as a duplicate. The job uuid is still logged, so counters see the action.
  private async answerSynchronously(job: Job, submission: Submission): Promise<Handled> {
    await this.node.runner.run(job, submission);
    const reply = job.error === undefined ? jsonReply(200, job.result) : errorReply(job.error);
    return { reply, jobUuid: job.uuid };
  }

  // The job poll needs no Authorization (RestServer.handleJobQuery does not check it).
  private jobPoll(_call: IncomingCall, params: Params): RoutedCall {
    const jobUuid = params["uuid"] ?? "";
    const job = this.node.jobs.get(jobUuid);
    return {
      kind: "jobPoll",
      jobUuid,
      ...(job === undefined ? {} : { action: job.action, vmUuid: job.resourceUuid }),
      handle: () => {
        const current = this.node.jobs.get(jobUuid);
        if (current === undefined) return { reply: textReply(404, "the job has been expired") };
        if (current.state === "running") return { reply: jsonReply(202, {}) };
        if (current.error !== undefined) return { reply: errorReply(current.error) };
        return { reply: jsonReply(200, current.result) };
      },
    };
  }

  private sessionField(call: IncomingCall): { readonly sessionUuid?: string } {
    const sessionUuid = sessionOf(call);
    return sessionUuid === undefined ? {} : { sessionUuid };
  }
}
