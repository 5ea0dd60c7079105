/**
 * The OLMo 2 paper (arXiv 2501.00656), as its authors publish the entry to cite it (the allenai/OLMo
 * README and the OLMo 2 model cards).
 */
const OLMO_2 = `@misc{olmo20242olmo2furious,
      title={2 OLMo 2 Furious},
      author={Team OLMo and Pete Walsh and Luca Soldaini and Dirk Groeneveld and Kyle Lo and Shane Arora and Akshita Bhagia and Yuling Gu and Shengyi Huang and Matt Jordan and Nathan Lambert and Dustin Schwenk and Oyvind Tafjord and Taira Anderson and David Atkinson and Faeze Brahman and Christopher Clark and Pradeep Dasigi and Nouha Dziri and Michal Guerquin and Hamish Ivison and Pang Wei Koh and Jiacheng Liu and Saumya Malik and William Merrill and Lester James V. Miranda and Jacob Morrison and Tyler Murray and Crystal Nam and Valentina Pyatkin and Aman Rangapur and Michael Schmitz and Sam Skjonsberg and David Wadden and Christopher Wilhelm and Michael Wilson and Luke Zettlemoyer and Ali Farhadi and Noah A. Smith and Hannaneh Hajishirzi},
      year={2024},
      eprint={2501.00656},
      archivePrefix={arXiv},
      primaryClass={cs.CL},
      url={https://arxiv.org/abs/2501.00656},
}`;

/**
 * Pure: how to cite the base model, when it is one whose paper we know: OLMo 2 (Ai2's `OLMo-2-…`
 * repos: 1B, 7B, 13B, 32B, base and instruct). Any other base gets none rather than a guess.
 */
export function baseModelCitation(baseModel: string | undefined): { title: string; bibtex: string } | undefined {
  return baseModel !== undefined && /^allenai\/OLMo-2-/i.test(baseModel)
    ? { title: "OLMo 2 (2 OLMo 2 Furious, arXiv:2501.00656)", bibtex: OLMO_2 }
    : undefined;
}
