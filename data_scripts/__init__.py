"""Scripts that download, verify, extract and check the real datasets the papers use.

Run each as a module from the repository root; ``--help`` says what it downloads, from where, how big
it is, the folder layout it writes (the one ``gan_papers.data`` reads) and how to place the archives
by hand on a machine without internet access:

- ``python -m data_scripts.div2k --data-dir data/``: DIV2K, the SRGAN training set used today
  (Ledig et al. 2017 trained on ImageNet; Section 3.1 of the spec in ``papers/03_srgan.md``);
- ``python -m data_scripts.sr_benchmarks --data-dir data/``: Set5, Set14 and BSD100 (``B100``), the
  test sets of Ledig et al. 2017, Table 1-2.

Every step can be interrupted and run again: a download resumes from its ``.part`` file, an archive
only takes its final name once its checksum matches, and extracted folders appear by an atomic rename.
"""
