using InferenceCluster.Sweep.Cli;

return await SweepCli.RunAsync(args).ConfigureAwait(false);
