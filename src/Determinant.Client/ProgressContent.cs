using System.Net;
using System.Net.Http.Headers;

namespace Determinant.Client;

/// <summary>A request body already serialized, written in chunks with the fraction sent reported after each one.</summary>
/// <remarks>Writing it again (a retried request) starts the fraction from 0 again.</remarks>
internal sealed class ProgressContent : HttpContent
{
    private const int ChunkBytes = 64 * 1024;
    private readonly byte[] _body;
    private readonly IProgress<double> _progress;

    public ProgressContent(byte[] body, string mediaType, IProgress<double> progress)
    {
        _body = body;
        _progress = progress;
        Headers.ContentType = new MediaTypeHeaderValue(mediaType) { CharSet = "utf-8" };
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        for (var offset = 0; offset < _body.Length; offset += ChunkBytes)
        {
            var count = Math.Min(ChunkBytes, _body.Length - offset);
            await stream.WriteAsync(_body.AsMemory(offset, count), cancellationToken).ConfigureAwait(false);
            _progress.Report((double)(offset + count) / _body.Length);
        }
        if (_body.Length == 0)
            _progress.Report(1);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _body.Length;
        return true;
    }
}
