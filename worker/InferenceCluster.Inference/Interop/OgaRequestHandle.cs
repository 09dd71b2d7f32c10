using Microsoft.Win32.SafeHandles;

namespace InferenceCluster.Inference.Interop;

/// <summary>Owned engine request; GenAI allows the final release from any thread.</summary>
internal sealed class OgaRequestHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    protected override bool ReleaseHandle()
    {
        NativeMethods.OgaDestroyRequest(handle);
        return true;
    }
}
