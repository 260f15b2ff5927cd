using NeuralAtlas.Robustness.Jpeg;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Robustness.Corruptions;

/// <summary>
/// A real baseline JPEG round trip at quality 25, 18, 15, 10, 7 (our encoder and decoder, 4:4:4). RGB images are
/// coded as colour JPEG; other channel counts code each band as its own grayscale JPEG. <see cref="LastBitsPerPixel"/>
/// reports the rate actually spent.
/// </summary>
public sealed class JpegCompression : Corruption
{
    public static readonly int[] Quality = { 25, 18, 15, 10, 7 };
    public override string Name => "jpeg_compression";
    public override string Family => "digital";

    /// <summary>Bits per pixel of the last image this instance compressed (all bands together).</summary>
    public double LastBitsPerPixel { get; private set; }

    protected override double[][] Corrupt(double[][] planes, int h, int w, int severity, Rng rng)
    {
        int q = Pick(Quality, severity);
        long bytes = 0;
        double[][] res;
        if (planes.Length == 3)
        {
            var px = new byte[h * w * 3];
            for (int i = 0; i < h * w; i++)
                for (int c = 0; c < 3; c++) px[3 * i + c] = ToByte(planes[c][i]);
            var file = JpegEncoder.Encode(px, w, h, 3, q);
            bytes = file.Length;
            var img = JpegDecoder.Decode(file);
            res = new double[3][];
            for (int c = 0; c < 3; c++)
            {
                res[c] = new double[h * w];
                for (int i = 0; i < h * w; i++) res[c][i] = img.Pixels[3 * i + c] / 255.0;
            }
        }
        else
        {
            res = planes.Select(p =>
            {
                var file = JpegEncoder.Encode(p.Select(ToByte).ToArray(), w, h, 1, q);
                Interlocked.Add(ref bytes, file.Length);
                return JpegDecoder.Decode(file).Pixels.Select(b => b / 255.0).ToArray();
            }).ToArray();
        }
        LastBitsPerPixel = bytes * 8.0 / (h * w);
        return res;
    }

    private static byte ToByte(double v) => (byte)Math.Clamp((int)Math.Round(v * 255, MidpointRounding.AwayFromZero), 0, 255);
}
