// A fake webcam for Chromium (--use-file-for-fake-video-capture): the server's poster PNG,
// decoded here (8-bit grey, RGB or RGBA, non-interlaced: what libpng writes for our posters),
// scaled with nearest neighbour onto a white 640x480 frame, written as Y4M (4:2:0).
import { inflateSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';

export function decodePng(buf) {
  if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let pos = 8, width, height, depth, type, interlace;
  const idat = [];
  let palette = null;
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const kind = buf.toString('latin1', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (kind === 'IHDR') {
      width = data.readUInt32BE(0); height = data.readUInt32BE(4);
      depth = data[8]; type = data[9]; interlace = data[12];
    } else if (kind === 'PLTE') palette = data;
    else if (kind === 'IDAT') idat.push(data);
    else if (kind === 'IEND') break;
    pos += 12 + len;
  }
  if (interlace) throw new Error('interlaced PNG not supported');
  const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[type];
  if (!channels) throw new Error(`PNG colour type ${type} not supported`);
  const raw = inflateSync(Buffer.concat(idat));
  const bitsPerPixel = depth * channels;
  const stride = Math.ceil((width * bitsPerPixel) / 8);
  const bpp = Math.max(1, bitsPerPixel >> 3);
  const out = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const cur = out.subarray(y * stride, (y + 1) * stride);
    const prev = y ? out.subarray((y - 1) * stride, y * stride) : Buffer.alloc(stride);
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? cur[x - bpp] : 0, b = prev[x], c = x >= bpp ? prev[x - bpp] : 0;
      let v = line[x];
      if (f === 1) v += a;
      else if (f === 2) v += b;
      else if (f === 3) v += (a + b) >> 1;
      else if (f === 4) { const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c); v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c; }
      cur[x] = v & 0xff;
    }
  }
  // To 8-bit luma.
  const grey = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let v;
      if (depth < 8) {
        const bit = x * depth;
        const byte = out[y * stride + (bit >> 3)];
        const s = (byte >> (8 - depth - (bit & 7))) & ((1 << depth) - 1);
        v = type === 3 ? palette[s * 3] : Math.round((s * 255) / ((1 << depth) - 1));
      } else {
        const i = y * stride + x * channels * (depth >> 3);
        const g = (k) => out[i + k * (depth >> 3)];
        v = channels >= 3 && type !== 3 ? Math.round(0.299 * g(0) + 0.587 * g(1) + 0.114 * g(2)) : type === 3 ? palette[g(0) * 3] : g(0);
      }
      grey[y * width + x] = v;
    }
  }
  return { width, height, grey };
}

/** Write a Y4M of `frames` identical frames showing the image centred at `size` pixels. */
export function pngToY4m(pngBuf, file, { width = 640, height = 480, size = 400, frames = 15 } = {}) {
  const img = decodePng(pngBuf);
  const Y = new Uint8Array(width * height).fill(235); // white (studio range)
  const ox = (width - size) >> 1, oy = (height - size) >> 1;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const v = img.grey[Math.floor((y * img.height) / size) * img.width + Math.floor((x * img.width) / size)];
      Y[(oy + y) * width + ox + x] = 16 + Math.round((v * 219) / 255);
    }
  }
  const chroma = new Uint8Array((width >> 1) * (height >> 1)).fill(128);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F15:1 Ip A1:1 C420jpeg\n`, 'latin1');
  const frame = Buffer.concat([Buffer.from('FRAME\n', 'latin1'), Y, chroma, chroma]);
  writeFileSync(file, Buffer.concat([header, ...Array(frames).fill(frame)]));
  return file;
}
