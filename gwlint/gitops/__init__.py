"""GitOps repositories as they are laid out: configuration YAML beside the manifests
(`classify`), Kustomize bases and overlays (`kustomize`), Helm charts (`helm`), and the
directories Argo CD and Flux apply together (`scopes`). Values keep their origins (`origins`)."""
