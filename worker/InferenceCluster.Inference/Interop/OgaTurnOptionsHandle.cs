using Microsoft.Win32.SafeHandles;

namespace InferenceCluster.Inference.Interop;

/// <summary>Owned turn options.</summary>
internal sealed class OgaTurnOptionsHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    protected override bool ReleaseHandle()
    {
        NativeMethods.OgaDestroyTurnOptions(handle);
        return true;
    }
}
