using System.Runtime.InteropServices;

namespace InferenceCluster.Inference.Interop;

/// <summary>
/// The GenAI C entry points this project binds itself: the Engine API (which the managed package
/// does not wrap) and the config/model calls needed to create an Engine. Everything returning an
/// OgaResult* is checked through <see cref="OgaResult.Check"/>.
/// </summary>
internal static partial class NativeMethods
{
    // Same library the managed package loads, so both share one ONNX Runtime environment.
    private const string Library = "onnxruntime-genai";

    [LibraryImport(Library)]
    internal static partial nint OgaResultGetError(nint result);

    [LibraryImport(Library)]
    internal static partial void OgaDestroyResult(nint result);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint OgaCreateConfig(string configPath, out OgaConfigHandle config);

    [LibraryImport(Library)]
    internal static partial void OgaDestroyConfig(nint config);

    [LibraryImport(Library)]
    internal static partial nint OgaConfigClearProviders(OgaConfigHandle config);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint OgaConfigAppendProvider(OgaConfigHandle config, string provider);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint OgaConfigOverlay(OgaConfigHandle config, string json);

    [LibraryImport(Library)]
    internal static partial nint OgaCreateModelFromConfig(OgaConfigHandle config, out OgaModelHandle model);

    [LibraryImport(Library)]
    internal static partial void OgaDestroyModel(nint model);

    [LibraryImport(Library)]
    internal static partial nint OgaCreateEngine(OgaModelHandle model, out OgaEngineHandle engine);

    [LibraryImport(Library)]
    internal static partial void OgaDestroyEngine(nint engine);

    [LibraryImport(Library)]
    internal static partial nint OgaEngineGetCapabilities(OgaEngineHandle engine, out nint capabilities);

    [LibraryImport(Library)]
    internal static partial nuint OgaEngineCapabilitiesGetConfiguredMaxBatchSize(nint capabilities);

    [LibraryImport(Library)]
    internal static partial nuint OgaEngineCapabilitiesGetMaxScheduledTokens(nint capabilities);

    [LibraryImport(Library)]
    internal static partial ulong OgaEngineCapabilitiesGetMaxRequestLength(nint capabilities);

    [LibraryImport(Library)]
    internal static partial void OgaDestroyEngineCapabilities(nint capabilities);

    [LibraryImport(Library)]
    internal static partial nint OgaCreateEngineEventBuffer(OgaEngineHandle engine, nuint capacity, out OgaEventBufferHandle buffer);

    [LibraryImport(Library)]
    internal static partial void OgaDestroyEngineEventBuffer(nint buffer);

    [LibraryImport(Library)]
    internal static partial nint OgaEngineRun(OgaEngineHandle engine, OgaEventBufferHandle buffer);

    [LibraryImport(Library)]
    internal static partial nuint OgaEngineEventBufferGetCount(OgaEventBufferHandle buffer);

    [LibraryImport(Library)]
    internal static partial nint OgaEngineEventBufferGet(OgaEventBufferHandle buffer, nuint index);

    [LibraryImport(Library)]
    internal static partial nint OgaEngineEventGetFlags(nint engineEvent, out EngineEventFlags flags);

    [LibraryImport(Library)]
    internal static partial nint OgaEngineEventGetRequest(nint engineEvent, out nint request);

    [LibraryImport(Library)]
    internal static partial nint OgaEngineEventGetToken(nint engineEvent, out int token);

    /// <summary>The sampled end-of-sequence token that ended a turn, -1 for other events (GenAI 0.20 and later).</summary>
    [LibraryImport(Library)]
    internal static partial nint OgaEngineEventGetTerminalTokenId(nint engineEvent, out int token);

    [LibraryImport(Library)]
    internal static partial nint OgaEngineEventGetFinishReason(nint engineEvent, out EngineFinishReason reason);

    [LibraryImport(Library)]
    internal static partial nint OgaEngineEventGetErrorCode(nint engineEvent, out EngineErrorCode code);

    [LibraryImport(Library)]
    internal static partial nint OgaEngineEventGetUsage(nint engineEvent, out nint usage);

    [LibraryImport(Library)]
    internal static partial nint OgaTurnUsageGetPromptTokens(nint usage, out ulong count);

    [LibraryImport(Library)]
    internal static partial nint OgaTurnUsageGetGeneratedTokens(nint usage, out ulong count);

    [LibraryImport(Library)]
    internal static partial nint OgaTurnUsageGetCachedPromptTokens(nint usage, out ulong count);

    [LibraryImport(Library)]
    internal static partial nint OgaEngineHasPendingRequests(OgaEngineHandle engine, [MarshalAs(UnmanagedType.U1)] out bool pending);

    [LibraryImport(Library)]
    internal static partial nint OgaCreateRequestOptions(out OgaRequestOptionsHandle options);

    [LibraryImport(Library)]
    internal static partial void OgaDestroyRequestOptions(nint options);

    [LibraryImport(Library)]
    internal static partial nint OgaRequestOptionsSetMaxSessionTokens(OgaRequestOptionsHandle options, ulong maxSessionTokens);

    [LibraryImport(Library)]
    internal static partial nint OgaEngineCreateRequest(OgaEngineHandle engine, OgaRequestOptionsHandle options, out OgaRequestHandle request);

    [LibraryImport(Library)]
    internal static partial void OgaDestroyRequest(nint request);

    [LibraryImport(Library)]
    internal static partial nint OgaRequestCreateTurnOptions(OgaRequestHandle request, out OgaTurnOptionsHandle options);

    [LibraryImport(Library)]
    internal static partial void OgaDestroyTurnOptions(nint options);

    [LibraryImport(Library)]
    internal static partial nint OgaTurnOptionsSetMaxGeneratedTokens(OgaTurnOptionsHandle options, ulong value);

    [LibraryImport(Library)]
    internal static partial nint OgaTurnOptionsSetMinGeneratedTokens(OgaTurnOptionsHandle options, ulong value);

    [LibraryImport(Library)]
    internal static partial nint OgaTurnOptionsSetDoSample(OgaTurnOptionsHandle options, [MarshalAs(UnmanagedType.U1)] bool value);

    [LibraryImport(Library)]
    internal static partial nint OgaTurnOptionsSetTemperature(OgaTurnOptionsHandle options, float value);

    [LibraryImport(Library)]
    internal static partial nint OgaTurnOptionsSetTopP(OgaTurnOptionsHandle options, float value);

    [LibraryImport(Library)]
    internal static partial nint OgaTurnOptionsSetTopK(OgaTurnOptionsHandle options, int value);

    [LibraryImport(Library)]
    internal static partial nint OgaTurnOptionsSetRepetitionPenalty(OgaTurnOptionsHandle options, float value);

    [LibraryImport(Library)]
    internal static partial nint OgaTurnOptionsSetNoRepeatNgramSize(OgaTurnOptionsHandle options, int value);

    [LibraryImport(Library)]
    internal static partial nint OgaTurnOptionsSetSeed(OgaTurnOptionsHandle options, ulong seed);

    [LibraryImport(Library)]
    internal static partial nint OgaTurnOptionsSetStopStrings(OgaTurnOptionsHandle options, OgaStringArrayHandle stopStrings);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint OgaTurnOptionsSetGuidance(OgaTurnOptionsHandle options, string guidanceType, string guidanceData);

    [LibraryImport(Library)]
    internal static unsafe partial nint OgaRequestBeginTurn(
        OgaRequestHandle request, OgaTurnOptionsHandle options, int* inputIds, ulong inputIdsCount, out ulong turnId);

    [LibraryImport(Library)]
    internal static partial nint OgaRequestCancelTurn(OgaRequestHandle request, ulong turnId, [MarshalAs(UnmanagedType.U1)] out bool cancelled);

    [LibraryImport(Library)]
    internal static partial nint OgaRequestClose(OgaRequestHandle request);

    [LibraryImport(Library)]
    internal static partial nint OgaCreateStringArray(out OgaStringArrayHandle array);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint OgaStringArrayAddString(OgaStringArrayHandle array, string value);

    [LibraryImport(Library)]
    internal static partial void OgaDestroyStringArray(nint array);
}
