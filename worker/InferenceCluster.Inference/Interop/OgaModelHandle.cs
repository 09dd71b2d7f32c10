using Microsoft.Win32.SafeHandles;

namespace InferenceCluster.Inference.Interop;

/// <summary>Owned OgaModel; an Engine retains the model, so this may be released once the Engine exists.</summary>
internal sealed class OgaModelHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    protected override bool ReleaseHandle()
    {
        NativeMethods.OgaDestroyModel(handle);
        return true;
    }
}
