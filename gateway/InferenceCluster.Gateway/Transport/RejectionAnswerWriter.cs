using System.Buffers;
using System.IO.Pipelines;
using InferenceCluster.Gateway.OpenAI;

namespace InferenceCluster.Gateway.Transport;

/// <summary>
/// A connection's output as Kestrel writes it, passed through untouched until Kestrel refuses a request on the
/// connection (<see cref="Hold"/>); Kestrel's answer to that request is then held and, at its flush, replaced by
/// <see cref="RejectionAnswer"/> with the OpenAI error. Anything held that is not Kestrel's empty-bodied refusal
/// (a response the application had begun, bytes of another protocol) is written as it was.
/// </summary>
internal sealed class RejectionAnswerWriter(PipeWriter inner) : PipeWriter
{
    private ArrayBufferWriter<byte>? _held;
    private OpenAIException? _answer;

    /// <summary>Holds what is written next, up to its flush, to be answered with <paramref name="answer"/>.</summary>
    public void Hold(OpenAIException answer)
    {
        _answer = answer;
        _held = new ArrayBufferWriter<byte>(512);
    }

    public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

    public override long UnflushedBytes => _held?.WrittenCount ?? inner.UnflushedBytes;

    public override void Advance(int bytes)
    {
        if (_held is { } held)
        {
            held.Advance(bytes);
        }
        else
        {
            inner.Advance(bytes);
        }
    }

    public override Memory<byte> GetMemory(int sizeHint = 0) => _held?.GetMemory(sizeHint) ?? inner.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => _held is { } held ? held.GetSpan(sizeHint) : inner.GetSpan(sizeHint);

    public override void CancelPendingFlush() => inner.CancelPendingFlush();

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        Release();
        return inner.FlushAsync(cancellationToken);
    }

    public override void Complete(Exception? exception = null)
    {
        Release();
        inner.Complete(exception);
    }

    public override ValueTask CompleteAsync(Exception? exception = null)
    {
        Release();
        return inner.CompleteAsync(exception);
    }

    private void Release()
    {
        if (_held is not { } held)
        {
            return;
        }

        _held = null;
        inner.Write(RejectionAnswer.Replace(held.WrittenSpan, _answer!));
    }
}
