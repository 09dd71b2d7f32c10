using Microsoft.Win32.SafeHandles;

namespace InferenceCluster.Inference.Interop;

/// <summary>Owned engine event buffer; released on the owner thread before the engine.</summary>
internal sealed class OgaEventBufferHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    protected override bool ReleaseHandle()
    {
        NativeMethods.OgaDestroyEngineEventBuffer(handle);
        return true;
    }
}
