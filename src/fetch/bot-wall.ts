// Recognises anti-bot challenge pages (Cloudflare, Akamai, DataDome, PerimeterX, Imperva...), so a challenge is
// reported as such instead of being retried, or worse, archived as a new version of the terms.

export const BOT_WALL_STATUSES = new Set([403, 429, 503]);

/** Markers that only appear on challenge or block pages; checked on 403/429/503 responses. */
const CHALLENGE_MARKERS: [RegExp, string][] = [
  [/<title>\s*just a moment\.\.\.\s*<\/title>/i, 'Cloudflare "Just a moment..." interstitial'],
  [/cf[-_]chl/i, 'Cloudflare challenge script (cf-chl)'],
  [/attention required!?\s*\|\s*cloudflare/i, 'Cloudflare "Attention Required" block page'],
  [/cf-browser-verification|challenges\.cloudflare\.com|cf-turnstile/i, 'Cloudflare browser verification'],
  [/verify(?:ing)? (?:that )?you are (?:a )?human/i, '"verify you are human" prompt'],
  [/are you a robot\??|not a robot/i, '"are you a robot" prompt'],
  [/captcha-delivery\.com|geo\.captcha-delivery|datadome/i, 'DataDome challenge'],
  [/px-captcha|_pxCaptcha|perimeterx|human security/i, 'PerimeterX challenge'],
  [/_incapsula_resource|incapsula incident id/i, 'Imperva/Incapsula block page'],
  [/pardon our interruption/i, 'Distil/Imperva "Pardon Our Interruption" page'],
  [/errors\.edgesuite\.net|you don't have permission to access .* on this server\.[\s\S]*reference\s*#/i, 'Akamai "Access Denied" page'],
  [/g-recaptcha|grecaptcha|h-captcha|hcaptcha\.com|\bcaptcha\b/i, 'captcha'],
  [/please enable js and disable any ad blocker/i, 'DataDome "enable JS" page'],
  [/checking (?:if the site connection is secure|your browser before accessing)/i, 'browser check interstitial'],
];

/** On a 200 only unmistakable interstitial titles count: legal pages themselves mention captchas and Cloudflare. */
const STRONG_MARKERS: [RegExp, string][] = [
  [/<title>\s*just a moment\.\.\.\s*<\/title>/i, 'Cloudflare "Just a moment..." interstitial'],
  [/<title>\s*attention required!?\s*\|\s*cloudflare\s*<\/title>/i, 'Cloudflare "Attention Required" block page'],
  [/<title>\s*pardon our interruption\s*<\/title>/i, 'Distil/Imperva "Pardon Our Interruption" page'],
];

/** A description of the challenge when the response is one, otherwise undefined. */
export function detectBotWall(status: number, headers: Record<string, string | string[] | undefined>, text: string): string | undefined {
  const header = (name: string) => {
    const v = headers[name];
    return (Array.isArray(v) ? v.join(',') : v ?? '').toLowerCase();
  };
  if (header('cf-mitigated') === 'challenge') return 'Cloudflare challenge (cf-mitigated: challenge)';
  const markers = BOT_WALL_STATUSES.has(status) ? CHALLENGE_MARKERS : STRONG_MARKERS;
  for (const [pattern, what] of markers) if (pattern.test(text)) return what;
  if (BOT_WALL_STATUSES.has(status) && header('x-datadome')) return 'DataDome block (x-datadome header)';
  if (status === 403 && header('server').includes('akamaighost') && /access denied/i.test(text)) return 'Akamai "Access Denied" page';
  return undefined;
}
