using InferenceCluster.Worker;

return InvalidConfigurationExit.Run(() =>
{
    var builder = Host.CreateApplicationBuilder(args);
    builder.AddServiceDefaults();
    builder.AddMetricsListener(WorkerOptions.SectionName);
    builder.AddInferenceWorker();
    return builder.Build();
});
