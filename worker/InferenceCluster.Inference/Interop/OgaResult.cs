using System.Runtime.InteropServices;

namespace InferenceCluster.Inference.Interop;

/// <summary>Turns a non-null OgaResult* into an exception carrying GenAI's message, and frees it.</summary>
internal static class OgaResult
{
    internal static void Check(nint result)
    {
        if (result == 0)
        {
            return;
        }

        string message;
        try
        {
            message = Marshal.PtrToStringUTF8(NativeMethods.OgaResultGetError(result)) ?? "unknown GenAI error";
        }
        finally
        {
            NativeMethods.OgaDestroyResult(result);
        }

        throw new GenAiException(message);
    }
}
