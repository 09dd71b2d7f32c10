using Microsoft.Win32.SafeHandles;

namespace InferenceCluster.Inference.Interop;

/// <summary>Owned OgaEngine; must be released on the engine's owner thread.</summary>
internal sealed class OgaEngineHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    protected override bool ReleaseHandle()
    {
        NativeMethods.OgaDestroyEngine(handle);
        return true;
    }
}
