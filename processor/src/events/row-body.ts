/**
 * An insert body built row by row in one growing Buffer. Rows kept as JS
 * strings until the batch is complete survive every young-generation GC that
 * runs meanwhile and are copied by each; bytes in a Buffer live off the JS
 * heap, so the row strings die young.
 */
export class RowBody {
  private buffer = Buffer.allocUnsafe(256 * 1024);
  private used = 0;
  /** Rows appended so far. */
  rows = 0;

  /** Appends one row (without its newline) as UTF-8, then a newline. */
  append(line: string): void {
    // A UTF-16 unit is at most 3 bytes of UTF-8.
    const most = line.length * 3 + 1;
    if (this.used + most > this.buffer.length) this.grow(this.used + most);
    this.used += this.buffer.write(line, this.used, 'utf8');
    this.buffer[this.used++] = 0x0a;
    this.rows += 1;
  }

  /** The body so far (a view of the internal buffer: read it before appending more). */
  bytes(): Buffer {
    return this.buffer.subarray(0, this.used);
  }

  private grow(needed: number): void {
    const next = Buffer.allocUnsafe(Math.max(needed, this.buffer.length * 2));
    this.buffer.copy(next, 0, 0, this.used);
    this.buffer = next;
  }
}
