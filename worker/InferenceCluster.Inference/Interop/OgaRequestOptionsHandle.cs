using Microsoft.Win32.SafeHandles;

namespace InferenceCluster.Inference.Interop;

/// <summary>Owned request options.</summary>
internal sealed class OgaRequestOptionsHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    protected override bool ReleaseHandle()
    {
        NativeMethods.OgaDestroyRequestOptions(handle);
        return true;
    }
}
