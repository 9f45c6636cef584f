/**
 * Default model names, apart from the provider modules so that choosing a provider (and
 * validating the configuration) does not load any SDK.
 */
export const DEFAULT_ANTHROPIC_VISION_MODEL = 'claude-sonnet-4-5';
export const DEFAULT_OPENAI_VISION_MODEL = 'gpt-4o';
export const LOCAL_VISION_MODEL = 'tesseract-eng-v1';
/** A cross-region inference profile: on-demand Bedrock calls to Claude 4.x need one. */
export const DEFAULT_BEDROCK_VISION_MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
