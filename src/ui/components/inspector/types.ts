/** What the stack knows of the selected layer (the inspector's header). */
export interface LayerSummary {
  createdBy: string;
  size: number;
  /** Unknown until the layer is compressed (save, push or a download makes the gzip blob). */
  compressedSize?: number;
  diffId: string;
  digest?: string;
  status?: string;
  reason?: string;
}

/** A build check as the build reported it (rule name, message, docs URL, line). */
export interface CheckItem {
  rule: string;
  message: string;
  url?: string;
  line?: number;
}
