/** `listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2` → `web/…/f2f7dc8efc522ab2`, for readable logs. */
export function shortArn(arn: string): string {
  const resource = arn.split(':').slice(5).join(':');
  const parts = resource.split('/');
  if (parts.length >= 4) return [parts[0], parts[2], '…', parts.at(-1)].join('/');
  return resource || arn;
}
