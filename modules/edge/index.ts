/** The edge pipeline's filters (issue 12): see filter.ts, filter-chain.ts and chain-parser.ts. */
export { Compress, COMPRESS_DEFAULT_MAX_S, type CompressStats } from "./compress.js";
export { parseChain, MAX_CHAIN_TEXT, MAX_STAGES, type ChainParse, type StageText } from "./chain-parser.js";
export { buildChain, FilterChain } from "./filter-chain.js";
export { FILTERS, FILTER_NAMES, type FilterSpec } from "./filter-registry.js";
export { usable, type Emit, type Filter, type Sample } from "./filter.js";
export type { Quality } from "../io/quality.js";
export { ChannelPipeline, checkChainText, compressBound, type ChannelReading } from "./channel-pipeline.js";
