// Generated illustrations for the demo magazine: abstract compositions drawn as
// SVG and rasterised by sharp, deterministic for a given seed, so the demo ships
// no binary files and never borrows anyone's photograph.
import sharp from 'sharp';

function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return ((state >>> 0) % 10_000) / 10_000;
  };
}

export async function illustration(seed: number, hue: number, width = 1600, height = 1000): Promise<Buffer> {
  const rnd = random(seed * 7919 + hue);
  const shapes: string[] = [];
  for (let i = 0; i < 14; i++) {
    const h = (hue + Math.round(rnd() * 80) - 40 + 360) % 360;
    const x = Math.round(rnd() * width);
    const y = Math.round(rnd() * height);
    const r = Math.round(60 + rnd() * 260);
    const opacity = (0.25 + rnd() * 0.5).toFixed(2);
    shapes.push(
      i % 3 === 0
        ? `<rect x="${x - r}" y="${y - r / 2}" width="${r * 2}" height="${r}" rx="${Math.round(r / 6)}" fill="hsl(${h} 70% ${40 + Math.round(rnd() * 30)}%)" opacity="${opacity}" transform="rotate(${Math.round(rnd() * 60 - 30)} ${x} ${y})"/>`
        : `<circle cx="${x}" cy="${y}" r="${r}" fill="hsl(${h} 75% ${35 + Math.round(rnd() * 35)}%)" opacity="${opacity}"/>`,
    );
  }
  for (let i = 0; i < 6; i++) {
    const y = Math.round(rnd() * height);
    shapes.push(
      `<path d="M0 ${y} C ${width / 3} ${y - 200 + rnd() * 400}, ${(2 * width) / 3} ${y - 200 + rnd() * 400}, ${width} ${y}" stroke="hsl(${hue} 30% 95%)" stroke-width="${2 + Math.round(rnd() * 6)}" fill="none" opacity="0.5"/>`,
    );
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue} 60% 22%)"/><stop offset="1" stop-color="hsl(${(hue + 50) % 360} 65% 48%)"/></linearGradient></defs>
<rect width="100%" height="100%" fill="url(#g)"/>${shapes.join('')}</svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 88 }).toBuffer();
}

export async function portrait(seed: number, hue: number, size = 800): Promise<Buffer> {
  const rnd = random(seed * 104_729 + hue);
  const skin = ['#8d5524', '#c68642', '#e0ac69', '#f1c27d', '#ffdbac', '#5c3a1e'][Math.floor(rnd() * 6)];
  const hair = ['#1b1b1b', '#3b2417', '#6b4423', '#a0522d', '#d9b56c'][Math.floor(rnd() * 5)];
  const c = size / 2;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">
<rect width="100%" height="100%" fill="hsl(${hue} 55% 78%)"/>
<circle cx="${c}" cy="${size * 1.05}" r="${size * 0.42}" fill="hsl(${(hue + 180) % 360} 45% 38%)"/>
<ellipse cx="${c}" cy="${size * 0.4}" rx="${size * 0.2}" ry="${size * 0.23}" fill="${hair}"/>
<rect x="${c - size * 0.06}" y="${size * 0.5}" width="${size * 0.12}" height="${size * 0.16}" fill="${skin}"/>
<ellipse cx="${c}" cy="${size * 0.44}" rx="${size * 0.16}" ry="${size * 0.19}" fill="${skin}"/>
<path d="M${c - size * 0.17} ${size * 0.4} Q ${c} ${size * 0.12} ${c + size * 0.17} ${size * 0.4} Q ${c} ${size * 0.26} ${c - size * 0.17} ${size * 0.4}" fill="${hair}"/>
</svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 90 }).toBuffer();
}
