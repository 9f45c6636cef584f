import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { ChatBedrockConverse } from '@langchain/aws';

/**
 * A Bedrock Converse chat model, for chat and for vision (Claude on Bedrock reads images). No
 * key: the SDK's default credentials (on AWS, the function's role, which the stack grants
 * bedrock:InvokeModel when cdk.context.json says `bedrock`).
 *
 * `endpoint` (BEDROCK_ENDPOINT) points the client at another server, such as the loopback
 * Converse server of the tests. The client is built here because ChatBedrockConverse's own
 * `endpointHost` forces https and overrides `clientOptions.endpoint`.
 */
export interface BedrockModelOptions {
  model: string;
  region: string | undefined;
  endpoint?: string;
  maxTokens: number;
  timeoutMs: number;
}

export function bedrockConverseModel(options: BedrockModelOptions): ChatBedrockConverse {
  if (!options.region) throw new Error('Bedrock needs a region: set BEDROCK_REGION (or AWS_REGION)');
  const client = new BedrockRuntimeClient({
    region: options.region,
    ...(options.endpoint && { endpoint: options.endpoint }),
    // The SDK retries throttling by itself; a request timeout bounds each call.
    requestHandler: { requestTimeout: options.timeoutMs },
  });
  return new ChatBedrockConverse({ model: options.model, region: options.region, maxTokens: options.maxTokens, client });
}
